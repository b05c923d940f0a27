#include "gpu_timing.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "cuda_status.hpp"

namespace convprobe::cudnn {
namespace {

class EventPair {
 public:
  EventPair() {
    check_cuda(cudaEventCreate(&start_), "cudaEventCreate");
    check_cuda(cudaEventCreate(&stop_), "cudaEventCreate");
  }
  ~EventPair() {
    cudaEventDestroy(start_);
    cudaEventDestroy(stop_);
  }
  EventPair(const EventPair&) = delete;
  EventPair& operator=(const EventPair&) = delete;
  cudaEvent_t start_ = nullptr, stop_ = nullptr;
};

}  // namespace

TimingOutcome time_runner(ConvRunner& runner, const TimingPlan& plan, cudaStream_t stream) {
  TimingOutcome out;
  size_t next_set = 0;
  auto launch = [&]() {
    const cudnnStatus_t s = runner.launch(next_set);
    next_set = (next_set + 1) % plan.sets;
    if (s != CUDNN_STATUS_SUCCESS && out.status == CUDNN_STATUS_SUCCESS) out.status = s;
    return s == CUDNN_STATUS_SUCCESS;
  };
  for (int i = 0; i < plan.warmup; ++i) {
    if (!launch()) return out;
  }
  check_cuda(cudaStreamSynchronize(stream), "warm-up");

  EventPair ev;
  auto sample = [&](int k) -> double {
    if (plan.flush_buffer != nullptr) {
      check_cuda(
          cudaMemsetAsync(plan.flush_buffer, static_cast<int>(next_set & 0xff), plan.flush_bytes, stream),
          "L2 flush");
    }
    check_cuda(cudaEventRecord(ev.start_, stream), "cudaEventRecord");
    for (int i = 0; i < k; ++i) {
      if (!launch()) return -1;
    }
    check_cuda(cudaEventRecord(ev.stop_, stream), "cudaEventRecord");
    check_cuda(cudaEventSynchronize(ev.stop_), "timed run");
    float ms = 0;
    check_cuda(cudaEventElapsedTime(&ms, ev.start_, ev.stop_), "cudaEventElapsedTime");
    return static_cast<double>(ms) / k;
  };

  const double first = sample(1);
  if (first < 0) return out;
  int repeats = std::max(1, plan.repeats);
  if (plan.best_so_far_ms > 0 && first > kSlowFactor * plan.best_so_far_ms) {
    repeats = std::min(repeats, kSlowRepeats);
    out.slow = true;
  }
  if (plan.flush_buffer == nullptr && first < kMinSampleMs) {
    out.batch = std::clamp(static_cast<int>(std::ceil(kMinSampleMs / std::max(first, 1e-4))), 1, kMaxBatch);
  }
  std::vector<double> times;
  times.reserve(static_cast<size_t>(repeats));
  if (out.batch == 1) times.push_back(first);  // the first sample counts when it is comparable
  double total = first;
  while (static_cast<int>(times.size()) < repeats ||
         (!out.slow && total < plan.min_time_ms && times.size() < 100000)) {
    const double t = sample(out.batch);
    if (t < 0) return out;
    times.push_back(t);
    total += t * out.batch;
  }
  std::sort(times.begin(), times.end());
  const size_t n = times.size();
  out.timing.median_ms = n % 2 == 1 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
  out.timing.min_ms = times.front();
  out.timing.max_ms = times.back();
  out.timing.repeats = static_cast<int>(n);
  return out;
}

}  // namespace convprobe::cudnn
