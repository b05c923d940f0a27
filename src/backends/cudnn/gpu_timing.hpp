// Timing of a bound ConvRunner with CUDA events: warm-up, then samples of k back-to-back launches (k > 1 only
// for kernels shorter than kMinSampleMs, to keep event overhead and resolution out of the figure), rotating
// buffer sets, optional L2 flush before every sample, median of the per-launch times.
#pragma once

#include <cuda_runtime_api.h>

#include <string>

#include "conv_runner.hpp"
#include "convprobe/trial.hpp"

namespace convprobe::cudnn {

/// A candidate whose first timed launch is slower than this factor times the best median seen so far on the
/// problem gets only kSlowRepeats samples: it cannot win, and its time is still recorded.
inline constexpr double kSlowFactor = 10.0;
inline constexpr int kSlowRepeats = 3;
/// Samples shorter than this are batched (k back-to-back launches per event pair, at most kMaxBatch), still
/// rotating buffer sets launch by launch. 0.5 ms (was 0.05): kernels of 0.05-0.5 ms are then timed the way
/// frameworks run them, back to back without a host round trip per launch, and the event pair's own cost
/// is spread over several launches (P5 in docs/performance.md).
inline constexpr double kMinSampleMs = 0.5;
inline constexpr int kMaxBatch = 64;

struct TimingPlan {
  int warmup = 2;
  int repeats = 10;
  double min_time_ms = 0;
  double best_so_far_ms = 0;
  size_t sets = 1;               ///< buffer sets to rotate among (bound in the runner)
  void* flush_buffer = nullptr;  ///< non-null: memset this many bytes before each sample
  size_t flush_bytes = 0;
};

struct TimingOutcome {
  Timing timing;
  int batch = 1;                                ///< launches per sample
  bool slow = false;                            ///< repeats were cut by kSlowFactor
  cudnnStatus_t status = CUDNN_STATUS_SUCCESS;  ///< first failing launch status, if any
};

/// Time `runner`; CUDA errors throw (check_cuda), a failing launch returns its status.
[[nodiscard]] TimingOutcome time_runner(ConvRunner& runner, const TimingPlan& plan, cudaStream_t stream);

}  // namespace convprobe::cudnn
