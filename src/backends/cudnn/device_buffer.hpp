// Owning device allocation. Allocation failure is a verdict (OOM), never an abort.
#pragma once

#include <cstddef>
#include <string>

namespace convprobe::cudnn {

class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  /// cudaMalloc `bytes` (0 allowed: no allocation). Throws TrialError(OOM) naming `what` and the size.
  DeviceBuffer(size_t bytes, const std::string& what);
  ~DeviceBuffer();
  DeviceBuffer(DeviceBuffer&& other) noexcept;
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  [[nodiscard]] void* get() const { return ptr_; }
  template <typename T>
  [[nodiscard]] T* as() const {
    return static_cast<T*>(ptr_);
  }
  [[nodiscard]] size_t bytes() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  size_t bytes_ = 0;
};

}  // namespace convprobe::cudnn
