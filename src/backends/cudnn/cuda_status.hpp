// CUDA and cuDNN status handling: readable names, verdicts, and the errors that leave a CUDA context unusable
// ("sticky": the worker must end so the next trial gets a clean context).
#pragma once

#include <cuda_runtime_api.h>
#include <cudnn.h>

#include <stdexcept>
#include <string>

#include "convprobe/trial.hpp"

namespace convprobe::cudnn {

/// "cudaErrorIllegalAddress (an illegal memory access was encountered)".
[[nodiscard]] std::string cuda_error_text(cudaError_t e);
/// "CUDNN_STATUS_NOT_SUPPORTED_ARCH_MISMATCH" plus cuDNN's last error message when it has one.
[[nodiscard]] std::string cudnn_status_text(cudnnStatus_t s);
/// Errors after which the context is lost for good (illegal address, launch failure, ...).
[[nodiscard]] bool is_sticky(cudaError_t e);
/// UNSUPPORTED for the NOT_SUPPORTED category, OOM for allocation failures, FAILED otherwise.
[[nodiscard]] Verdict verdict_for(cudnnStatus_t s);

/// A cuDNN call failed; carries the status so the trial can pick the verdict.
class CudnnError : public std::runtime_error {
 public:
  CudnnError(cudnnStatus_t status, const std::string& what)
      : std::runtime_error(what + ": " + cudnn_status_text(status)), status_(status) {}
  [[nodiscard]] cudnnStatus_t status() const { return status_; }

 private:
  cudnnStatus_t status_;
};

/// A CUDA error that lost the context; the trial becomes CRASH and the worker must restart.
class StickyCudaError : public std::runtime_error {
 public:
  StickyCudaError(cudaError_t e, const std::string& where)
      : std::runtime_error("sticky CUDA error " + cuda_error_text(e) + " " + where), error_(e) {}
  [[nodiscard]] cudaError_t error() const { return error_; }

 private:
  cudaError_t error_;
};

/// Throw CudnnError unless `s` is success.
void check_cudnn(cudnnStatus_t s, const std::string& what);
/// Throw StickyCudaError for sticky errors, TrialError(OOM) for allocation failures, TrialError(FAILED)
/// otherwise; nothing on success.
void check_cuda(cudaError_t e, const std::string& what);
/// Synchronize the device and check for asynchronous errors raised by earlier launches (`where`: the phase).
void sync_and_check(const std::string& where);

}  // namespace convprobe::cudnn
