#include "gpu_timing.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "cuda_status.hpp"

namespace convprobe::cudnn {
namespace {

/// k launches of the runner captured into an instantiated CUDA graph; empty (with the reason) when the plan
/// cannot be captured. A failed capture leaves no error behind: capture errors are not sticky, and the last
/// error is cleared so the direct launches that replace the graph start clean.
class CapturedBatch {
 public:
  CapturedBatch(ConvRunner& runner, int k, cudaStream_t stream) {
    if (cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal) != cudaSuccess) {
      why_ = "stream capture refused: " + cuda_error_text(cudaGetLastError());
      return;
    }
    cudnnStatus_t launched = CUDNN_STATUS_SUCCESS;
    for (int i = 0; i < k && launched == CUDNN_STATUS_SUCCESS; ++i) launched = runner.launch();
    const cudaError_t ended = cudaStreamEndCapture(stream, &graph_);
    if (launched != CUDNN_STATUS_SUCCESS || ended != cudaSuccess || graph_ == nullptr) {
      why_ = launched != CUDNN_STATUS_SUCCESS ? "launch under capture: " + cudnn_status_text(launched)
                                              : "capture: " + cuda_error_text(ended);
      cudaGetLastError();
      return;
    }
    if (const cudaError_t e = cudaGraphInstantiate(&exec_, graph_, 0); e != cudaSuccess) {
      why_ = "graph instantiation: " + cuda_error_text(e);
      exec_ = nullptr;
      cudaGetLastError();
      return;
    }
    if (const cudaError_t e = cudaGraphUpload(exec_, stream); e != cudaSuccess) {
      why_ = "graph upload: " + cuda_error_text(e);
      cudaGetLastError();
      cudaGraphExecDestroy(exec_);
      exec_ = nullptr;
    }
  }
  ~CapturedBatch() {
    if (exec_ != nullptr) cudaGraphExecDestroy(exec_);
    if (graph_ != nullptr) cudaGraphDestroy(graph_);
  }
  CapturedBatch(const CapturedBatch&) = delete;
  CapturedBatch& operator=(const CapturedBatch&) = delete;

  [[nodiscard]] cudaGraphExec_t exec() const { return exec_; }
  [[nodiscard]] const std::string& why_not() const { return why_; }

 private:
  cudaGraph_t graph_ = nullptr;
  cudaGraphExec_t exec_ = nullptr;
  std::string why_;
};

}  // namespace

EventPair::EventPair() {
  check_cuda(cudaEventCreate(&start_), "cudaEventCreate");
  check_cuda(cudaEventCreate(&stop_), "cudaEventCreate");
}

EventPair::~EventPair() {
  cudaEventDestroy(start_);
  cudaEventDestroy(stop_);
}

void EventPair::start(cudaStream_t stream) { check_cuda(cudaEventRecord(start_, stream), "cudaEventRecord"); }

void EventPair::stop(cudaStream_t stream) { check_cuda(cudaEventRecord(stop_, stream), "cudaEventRecord"); }

double EventPair::elapsed_ms() {
  check_cuda(cudaEventSynchronize(stop_), "timed run");
  float ms = 0;
  check_cuda(cudaEventElapsedTime(&ms, start_, stop_), "cudaEventElapsedTime");
  return static_cast<double>(ms);
}

namespace {

/// One timing of a bound runner: the launches it made, the events and the captured batch it uses.
class RunnerTimer {
 public:
  RunnerTimer(ConvRunner& runner, const TimingSettings& settings, cudaStream_t stream)
      : runner_(runner), settings_(settings), stream_(stream) {}

  TimingOutcome time();

 private:
  /// One direct launch; false (with the status kept) when it failed.
  bool launch() {
    const cudnnStatus_t s = runner_.launch();
    ++launches_;
    if (s != CUDNN_STATUS_SUCCESS && out_.status == CUDNN_STATUS_SUCCESS) out_.status = s;
    return s == CUDNN_STATUS_SUCCESS;
  }
  /// One event-timed sample of k launches (the captured batch when there is one): ms per launch, or -1 when
  /// a launch failed.
  double sample(int k);
  [[nodiscard]] bool is_slow(double ms) const {
    return settings_.best_so_far_ms > 0 && ms > kSlowFactor * settings_.best_so_far_ms;
  }
  TimingOutcome failed() {
    out_.timing.launches = launches_;
    return out_;
  }
  /// The first event-timed sample, after the warm-up unless the verified run was already far too slow (then
  /// a slow one is not warmed up at all); -1 when a launch failed. Sets out_.slow.
  double first_sample();
  /// Short kernels are sampled in batches (a CUDA graph when the runner can be captured); a first sample
  /// comparable with the rest counts as one of them.
  void choose_batch(double first, std::vector<double>* times);
  [[nodiscard]] bool enough(const std::vector<double>& times, int repeats, double total) const;

  ConvRunner& runner_;
  const TimingSettings& settings_;
  cudaStream_t stream_;
  TimingOutcome out_;
  int64_t launches_ = 0;
  EventPair events_;
  std::unique_ptr<CapturedBatch> captured_;
};

double RunnerTimer::sample(int k) {
  if (settings_.flush_buffer != nullptr) {
    check_cuda(cudaMemsetAsync(settings_.flush_buffer, static_cast<int>(launches_ & 0xff),
                               settings_.flush_bytes, stream_),
               "L2 flush");
  }
  events_.start(stream_);
  if (captured_ != nullptr && captured_->exec() != nullptr) {
    check_cuda(cudaGraphLaunch(captured_->exec(), stream_), "launching the captured batch");
    launches_ += k;
  } else {
    for (int i = 0; i < k; ++i) {
      if (!launch()) return -1;
    }
  }
  events_.stop(stream_);
  return events_.elapsed_ms() / k;
}

double RunnerTimer::first_sample() {
  double first = -1;
  if (is_slow(settings_.first_run_ms)) {
    first = sample(1);
    if (first < 0) return -1;
    out_.slow = is_slow(first);
  }
  if (!out_.slow) {
    const int warmup =
        settings_.first_run_ms >= kLongRunMs ? std::min(settings_.warmup, 1) : settings_.warmup;
    for (int i = 0; i < warmup; ++i) {
      if (!launch()) return -1;
    }
    check_cuda(cudaStreamSynchronize(stream_), "warm-up");
    first = sample(1);
    if (first < 0) return -1;
    out_.slow = is_slow(first);
  }
  return first;
}

void RunnerTimer::choose_batch(double first, std::vector<double>* times) {
  if (!out_.slow && settings_.flush_buffer == nullptr && first < kMinSampleMs) {
    out_.batch = std::clamp(static_cast<int>(std::ceil(kMinSampleMs / std::max(first, 1e-4))), 1, kMaxBatch);
  }
  if (out_.batch == 1) {
    times->push_back(first);  // the first sample counts when it is comparable
  } else {
    captured_ = std::make_unique<CapturedBatch>(runner_, out_.batch, stream_);
    out_.graph = captured_->exec() != nullptr;
    out_.graph_note = captured_->why_not();
  }
}

bool RunnerTimer::enough(const std::vector<double>& times, int repeats, double total) const {
  const int n = static_cast<int>(times.size());
  if (out_.slow) return n >= repeats;
  if (settings_.max_time_ms > 0 && n >= std::min(repeats, kMinSamplesUnderCap) &&
      total >= settings_.max_time_ms)
    return true;
  return n >= repeats && total >= settings_.min_time_ms;
}

TimingOutcome RunnerTimer::time() {
  // A verified run far slower than the best so far is confirmed by one event-timed sample before any
  // warm-up: on a large problem a loser then costs two runs, not warm-up + repeats. The host-timed run alone
  // is not trusted: it includes lazy module loading (milliseconds on a kernel's first use).
  if (is_slow(settings_.first_run_ms) && settings_.first_run_ms >= kTrustedRunMs) {
    out_.slow = true;
    out_.timing = summarize_samples({settings_.first_run_ms});
    out_.from_verified_run = true;
    return out_;
  }
  const double first = first_sample();
  if (first < 0) return failed();
  const int repeats =
      out_.slow ? std::min(std::max(1, settings_.repeats), kSlowRepeats) : std::max(1, settings_.repeats);
  std::vector<double> times;
  times.reserve(static_cast<size_t>(repeats));
  double total = first;
  choose_batch(first, &times);
  while (!enough(times, repeats, total) && times.size() < 100000) {
    const double t = sample(out_.batch);
    if (t < 0) return failed();
    times.push_back(t);
    total += t * out_.batch;
  }
  out_.timing = summarize_samples(std::move(times));
  out_.timing.launches = launches_;
  return out_;
}

}  // namespace

TimingOutcome time_runner(ConvRunner& runner, const TimingSettings& settings, cudaStream_t stream) {
  return RunnerTimer(runner, settings, stream).time();
}

}  // namespace convprobe::cudnn
