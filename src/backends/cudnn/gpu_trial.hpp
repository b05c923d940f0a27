// One cuDNN trial on the GPU: set up (problem state once per problem, plan, workspace), poison and run once,
// verify against the GPU fp64 reference, time. Every ordinary failure becomes a verdict; a sticky CUDA error
// becomes CRASH with restart_worker set (the context is unusable; the worker must be replaced).
#pragma once

#include <cuda_runtime_api.h>
#include <cudnn.h>

#include "convprobe/backend.hpp"
#include "gpu_problem.hpp"

namespace convprobe::cudnn {

struct GpuSession {
  int device = -1;
  cudnnHandle_t handle = nullptr;
  cudaStream_t stream = nullptr;
  size_t l2_bytes = 0;
  GpuProblemCache cache;
  bool context_lost = false;  ///< set after a sticky error; every later trial answers CRASH at once
};

/// The candidate as the verifier should judge it: f32 data computed in TF32 (note "tf32") gets the
/// down_convert note so error_threshold()/math_label() apply TF32 bounds and say so.
[[nodiscard]] Candidate judged_as(const Candidate& c);

[[nodiscard]] TrialResult run_cudnn_trial(const Problem& p, const Candidate& c, const TrialOptions& options,
                                          TrialContext& context, GpuSession& session);

/// Self-test faults (listed only with CONVPROBE_GPU_FAULTS=1): fault.gpu_hang, fault.gpu_illegal_address,
/// fault.gpu_oom.
[[nodiscard]] std::vector<Candidate> gpu_fault_candidates();
[[nodiscard]] TrialResult run_gpu_fault(const Candidate& c, TrialContext& context, GpuSession& session);

}  // namespace convprobe::cudnn
