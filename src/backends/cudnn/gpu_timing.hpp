// Timing of a bound ConvRunner with CUDA events: warm-up, then samples of k back-to-back launches (k > 1 only
// for kernels shorter than kMinSampleMs), optional L2 flush before every sample, median of the per-launch
// times. Short kernels are timed as a CUDA graph of k launches when the plan can be captured: per-launch
// host work (cudnnBackendExecute's argument checks, ~5-10 us) then stays out of the figure, as it does when a
// framework replays a graph, and the kernel itself is what is measured (P3/P5 in docs/performance.md).
#pragma once

#include <cuda_runtime_api.h>

#include <string>

#include "conv_runner.hpp"
#include "convprobe/trial.hpp"

namespace convprobe::cudnn {

/// A candidate whose verified run or first timed sample is slower than this factor times the best median
/// seen so far on the problem gets kSlowRepeats samples and no warm-up: it cannot win (GPU timing noise is a
/// few percent, far inside 3x), and its time is still recorded. Where the verified run itself took at least
/// kTrustedRunMs, its event time is that one sample: module loading on a kernel's first use (milliseconds)
/// is then a small part of it, and a large problem's loser costs one run, not several.
inline constexpr double kSlowFactor = 3.0;
inline constexpr int kSlowRepeats = 1;
inline constexpr double kTrustedRunMs = 100.0;
/// Samples shorter than this are batched (k back-to-back launches per event pair, at most kMaxBatch).
inline constexpr double kMinSampleMs = 0.5;
inline constexpr int kMaxBatch = 64;
/// A kernel whose verified run took this long needs one warm-up launch at most: its module is loaded and
/// the clocks are up.
inline constexpr double kLongRunMs = 20.0;
/// With a time cap (max_time_ms), at least this many samples are still taken.
inline constexpr int kMinSamplesUnderCap = 3;

/// Two CUDA events on a stream: start() and stop() enqueue them, elapsed_ms() waits for the stop.
class EventPair {
 public:
  EventPair();
  ~EventPair();
  EventPair(const EventPair&) = delete;
  EventPair& operator=(const EventPair&) = delete;
  void start(cudaStream_t stream);
  void stop(cudaStream_t stream);
  [[nodiscard]] double elapsed_ms();

 private:
  cudaEvent_t start_ = nullptr, stop_ = nullptr;
};

struct TimingSettings {
  int warmup = 2;
  int repeats = 10;
  double min_time_ms = 0;
  double max_time_ms = 0;  ///< > 0: stop after kMinSamplesUnderCap samples once this much was timed
  double best_so_far_ms = 0;
  double first_run_ms = 0;  ///< event time of the verified run (> 0: used for the slow and long-run rules)
  void* flush_buffer = nullptr;  ///< non-null: memset this many bytes before each sample
  size_t flush_bytes = 0;
};

struct TimingOutcome {
  Timing timing;                                ///< timing.launches: launches made here (warm-up included)
  int batch = 1;                                ///< launches per sample
  bool slow = false;                            ///< repeats were cut by kSlowFactor
  bool graph = false;                           ///< samples were CUDA-graph replays
  bool from_verified_run = false;               ///< the one sample is the verified run's event time
  std::string graph_note;                       ///< why a graph was not used, when one was wanted
  cudnnStatus_t status = CUDNN_STATUS_SUCCESS;  ///< first failing launch status, if any
};

/// Time `runner` (bound); CUDA errors throw (check_cuda), a failing launch returns its
/// status.
[[nodiscard]] TimingOutcome time_runner(ConvRunner& runner, const TimingSettings& settings,
                                        cudaStream_t stream);

}  // namespace convprobe::cudnn
