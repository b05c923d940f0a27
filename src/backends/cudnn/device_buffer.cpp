#include "device_buffer.hpp"

#include <cuda_runtime_api.h>

#include <utility>

#include "convprobe/trial.hpp"
#include "cuda_status.hpp"

namespace convprobe::cudnn {

DeviceBuffer::DeviceBuffer(size_t bytes, const std::string& what) : bytes_(bytes) {
  if (bytes == 0) return;
  const cudaError_t e = cudaMalloc(&ptr_, bytes);
  if (e == cudaSuccess) return;
  ptr_ = nullptr;
  if (is_sticky(e)) throw StickyCudaError(e, "in cudaMalloc for " + what);
  cudaGetLastError();
  size_t free_bytes = 0, total = 0;
  cudaMemGetInfo(&free_bytes, &total);
  throw TrialError(e == cudaErrorMemoryAllocation ? Verdict::oom : Verdict::failed,
                   "cudaMalloc of " + std::to_string(bytes) + " bytes for " + what +
                       " failed: " + cuda_error_text(e) + " (" + std::to_string(free_bytes) + " of " +
                       std::to_string(total) + " bytes free)");
}

DeviceBuffer::~DeviceBuffer() {
  if (ptr_ != nullptr) cudaFree(ptr_);
}

DeviceBuffer::DeviceBuffer(DeviceBuffer&& other) noexcept
    : ptr_(std::exchange(other.ptr_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& other) noexcept {
  if (this != &other) {
    if (ptr_ != nullptr) cudaFree(ptr_);
    ptr_ = std::exchange(other.ptr_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

}  // namespace convprobe::cudnn
