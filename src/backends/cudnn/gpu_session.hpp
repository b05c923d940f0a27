// What a cuDNN worker keeps between trials: its device, handle and stream, the current problem's device
// state, and whether a sticky CUDA error has lost the context.
#pragma once

#include <cuda_runtime_api.h>
#include <cudnn.h>

#include <string>

#include "convprobe/trial.hpp"
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

/// A sticky CUDA error ended the trial: CRASH with `detail`, and the worker must be replaced (the context
/// is unusable, so every later trial in this process answers CRASH at once).
inline void lose_context(TrialResult* r, const std::string& detail, GpuSession& session) {
  session.context_lost = true;
  r->verdict = Verdict::crash;
  r->detail = detail;
  r->restart_worker = true;
}

}  // namespace convprobe::cudnn
