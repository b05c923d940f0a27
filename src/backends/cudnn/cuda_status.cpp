#include "cuda_status.hpp"

#include "convprobe/trial.hpp"

namespace convprobe::cudnn {

std::string cuda_error_text(cudaError_t e) {
  return std::string(cudaGetErrorName(e)) + " (" + cudaGetErrorString(e) + ")";
}

std::string cudnn_status_text(cudnnStatus_t s) {
  std::string text = cudnnGetErrorString(s);
  char last[512] = {};
  cudnnGetLastErrorString(last, sizeof(last));
  if (last[0] != '\0') text += std::string(": ") + last;
  return text;
}

bool is_sticky(cudaError_t e) {
  switch (e) {
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchFailure:
    case cudaErrorIllegalInstruction:
    case cudaErrorMisalignedAddress:
    case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc:
    case cudaErrorHardwareStackError:
    case cudaErrorAssert:
    case cudaErrorLaunchTimeout:
    case cudaErrorECCUncorrectable:
    case cudaErrorContextIsDestroyed:
      return true;
    default:
      return false;
  }
}

Verdict verdict_for(cudnnStatus_t s) {
  const int category = static_cast<int>(s) / 1000 * 1000;
  if (category == CUDNN_STATUS_NOT_SUPPORTED) return Verdict::unsupported;
  if (s == CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED ||
      s == CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED) {
    return Verdict::oom;
  }
  return Verdict::failed;
}

void check_cudnn(cudnnStatus_t s, const std::string& what) {
  if (s != CUDNN_STATUS_SUCCESS) throw CudnnError(s, what);
}

void check_cuda(cudaError_t e, const std::string& what) {
  if (e == cudaSuccess) return;
  if (is_sticky(e)) throw StickyCudaError(e, "in " + what);
  cudaGetLastError();  // clear a non-sticky error so the next call starts clean
  if (e == cudaErrorMemoryAllocation) throw TrialError(Verdict::oom, what + ": " + cuda_error_text(e));
  throw TrialError(Verdict::failed, what + ": " + cuda_error_text(e));
}

void sync_and_check(const std::string& where) {
  check_cuda(cudaGetLastError(), "launch before " + where);
  check_cuda(cudaDeviceSynchronize(), where);
}

}  // namespace convprobe::cudnn
