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

TimingOutcome time_runner(ConvRunner& runner, const TimingPlan& plan, cudaStream_t stream) {
  TimingOutcome out;
  int64_t launches = 0;
  auto launch = [&]() {
    const cudnnStatus_t s = runner.launch();
    ++launches;
    if (s != CUDNN_STATUS_SUCCESS && out.status == CUDNN_STATUS_SUCCESS) out.status = s;
    return s == CUDNN_STATUS_SUCCESS;
  };
  EventPair ev;
  std::unique_ptr<CapturedBatch> captured;
  auto sample = [&](int k) -> double {
    if (plan.flush_buffer != nullptr) {
      check_cuda(
          cudaMemsetAsync(plan.flush_buffer, static_cast<int>(launches & 0xff), plan.flush_bytes, stream),
          "L2 flush");
    }
    ev.start(stream);
    if (captured != nullptr && captured->exec() != nullptr) {
      check_cuda(cudaGraphLaunch(captured->exec(), stream), "launching the captured batch");
      launches += k;
    } else {
      for (int i = 0; i < k; ++i) {
        if (!launch()) return -1;
      }
    }
    ev.stop(stream);
    return ev.elapsed_ms() / k;
  };
  auto is_slow = [&](double ms) { return plan.best_so_far_ms > 0 && ms > kSlowFactor * plan.best_so_far_ms; };
  auto failed = [&] {
    out.timing.launches = launches;
    return out;
  };

  // A verified run far slower than the best so far is confirmed by one event-timed sample before any
  // warm-up: on a large problem a loser then costs two runs, not warm-up + repeats. The host-timed run alone
  // is not trusted: it includes lazy module loading (milliseconds on a kernel's first use).
  if (is_slow(plan.first_run_ms) && plan.first_run_ms >= kTrustedRunMs) {
    out.slow = true;
    out.timing = summarize_samples({plan.first_run_ms});
    out.from_verified_run = true;
    return out;
  }
  double first = -1;
  if (is_slow(plan.first_run_ms)) {
    first = sample(1);
    if (first < 0) return failed();
    out.slow = is_slow(first);
  }
  if (!out.slow) {
    const int warmup = plan.first_run_ms >= kLongRunMs ? std::min(plan.warmup, 1) : plan.warmup;
    for (int i = 0; i < warmup; ++i) {
      if (!launch()) return failed();
    }
    check_cuda(cudaStreamSynchronize(stream), "warm-up");
    first = sample(1);
    if (first < 0) return failed();
    out.slow = is_slow(first);
  }
  const int repeats =
      out.slow ? std::min(std::max(1, plan.repeats), kSlowRepeats) : std::max(1, plan.repeats);
  std::vector<double> times;
  times.reserve(static_cast<size_t>(repeats));
  double total = first;
  if (!out.slow && plan.flush_buffer == nullptr && first < kMinSampleMs) {
    out.batch = std::clamp(static_cast<int>(std::ceil(kMinSampleMs / std::max(first, 1e-4))), 1, kMaxBatch);
  }
  if (out.batch == 1) {
    times.push_back(first);  // the first sample counts when it is comparable
  } else {
    captured = std::make_unique<CapturedBatch>(runner, out.batch, stream);
    out.graph = captured->exec() != nullptr;
    out.graph_note = captured->why_not();
  }
  auto enough = [&] {
    const int n = static_cast<int>(times.size());
    if (out.slow) return n >= repeats;
    if (plan.max_time_ms > 0 && n >= std::min(repeats, kMinSamplesUnderCap) && total >= plan.max_time_ms)
      return true;
    return n >= repeats && total >= plan.min_time_ms;
  };
  while (!enough() && times.size() < 100000) {
    const double t = sample(out.batch);
    if (t < 0) return failed();
    times.push_back(t);
    total += t * out.batch;
  }
  out.timing = summarize_samples(std::move(times));
  out.timing.launches = launches;
  return out;
}

}  // namespace convprobe::cudnn
