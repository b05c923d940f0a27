// RAII over cudnnBackendDescriptor_t plus typed attribute helpers: the whole of the cuDNN graph (backend)
// C API that convprobe uses, without cudnn-frontend.
#pragma once

#include <cudnn.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace convprobe::cudnn {

class BackendDescriptor {
 public:
  BackendDescriptor() = default;
  /// Create a descriptor of `type`; throws CudnnError.
  explicit BackendDescriptor(cudnnBackendDescriptorType_t type);
  ~BackendDescriptor();
  BackendDescriptor(BackendDescriptor&& o) noexcept;
  BackendDescriptor& operator=(BackendDescriptor&& o) noexcept;
  BackendDescriptor(const BackendDescriptor&) = delete;
  BackendDescriptor& operator=(const BackendDescriptor&) = delete;

  [[nodiscard]] cudnnBackendDescriptor_t get() const { return d_; }
  [[nodiscard]] explicit operator bool() const { return d_ != nullptr; }

  /// Set an attribute; throws CudnnError naming the attribute.
  void set(cudnnBackendAttributeName_t name, cudnnBackendAttributeType_t type, int64_t count,
           const void* values);
  void set_int64(cudnnBackendAttributeName_t name, int64_t v) { set(name, CUDNN_TYPE_INT64, 1, &v); }
  void set_int64s(cudnnBackendAttributeName_t name, const std::vector<int64_t>& v) {
    set(name, CUDNN_TYPE_INT64, static_cast<int64_t>(v.size()), v.data());
  }
  void set_descriptor(cudnnBackendAttributeName_t name, const BackendDescriptor& v) {
    cudnnBackendDescriptor_t raw = v.get();
    set(name, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &raw);
  }
  /// Finalize; throws CudnnError.
  void finalize(const std::string& what);
  /// Finalize, returning the status instead of throwing (support checks).
  [[nodiscard]] cudnnStatus_t try_finalize();

  /// Read an attribute; returns the status (count = elements returned).
  cudnnStatus_t get_attr(cudnnBackendAttributeName_t name, cudnnBackendAttributeType_t type,
                         int64_t requested, int64_t* count, void* values) const;
  /// One INT64 attribute; throws CudnnError.
  [[nodiscard]] int64_t get_int64(cudnnBackendAttributeName_t name) const;

 private:
  cudnnBackendDescriptor_t d_ = nullptr;
};

/// `n` fresh descriptors of `type`, e.g. to receive descriptor-valued attributes (knob choices, results).
[[nodiscard]] std::vector<BackendDescriptor> make_descriptors(cudnnBackendDescriptorType_t type, size_t n);
/// Raw handles of `ds` for array-valued attributes.
[[nodiscard]] std::vector<cudnnBackendDescriptor_t> raw(const std::vector<BackendDescriptor>& ds);

}  // namespace convprobe::cudnn
