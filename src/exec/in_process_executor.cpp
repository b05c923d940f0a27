// --in-process: the backend plugin loaded into this process, trials run one after another. No watchdog and
// no protection: a hang hangs convprobe, a crash ends it. For debugging a backend (one process to attach a
// debugger to) and for measuring what supervision costs (bench/bench_supervisor.cpp).
#include <chrono>
#include <new>
#include <stdexcept>

#include "exec/executor.hpp"
#include "exec/guarded_trial.hpp"
#include "exec/plugin_loader.hpp"
#include "exec/problem_groups.hpp"

namespace convprobe {

namespace {

/// Remembers the phase for the verdict of an exception; there is nobody to send heartbeats to.
class LocalContext final : public TrialContext {
 public:
  void enter_phase(Phase phase, double /*expected_ms*/) override { phase_ = phase; }
  [[nodiscard]] Phase phase() const { return phase_; }

 private:
  Phase phase_ = Phase::setup;
};

class InProcessExecutor final : public Executor {
 public:
  explicit InProcessExecutor(ExecutorOptions options) : options_(std::move(options)) {
    backend_ = load_backend(options_.backend, &load_error_);
  }

  BackendInfo info() override {
    if (!backend_) {
      BackendInfo info;
      info.name = options_.backend;
      info.available = false;
      info.reason = load_error_;
      return info;
    }
    return backend_->get().info();
  }

  std::vector<Candidate> candidates(const Problem& problem, const TrialOptions& options) override {
    return backend().candidates(problem, options);
  }

  void run(const std::vector<TrialRequest>& requests, const TrialOptions& options,
           const ResultCallback& on_result, const StartCallback& on_start) override {
    Backend& b = backend();
    BestTimes best;
    // One device only: there is one thread of execution. The first listed device is used.
    const int device = options_.devices.empty() ? 0 : options_.devices.front();
    for (const auto& group : group_by_problem(requests)) {
      for (size_t index : group.requests) {
        const TrialRequest& request = requests[index];
        TrialOptions trial_options = options;
        trial_options.device = device;
        trial_options.best_so_far_ms = best.get(group.key);
        if (on_start) on_start(request);
        TrialResult result = run_one(b, request, trial_options);
        best.record(group.key, result);
        if (on_result) on_result(request, result);
      }
    }
  }

 private:
  Backend& backend() {
    if (!backend_)
      throw std::runtime_error("backend '" + options_.backend + "' is unavailable: " + load_error_);
    return backend_->get();
  }

  static TrialResult run_one(Backend& b, const TrialRequest& request, const TrialOptions& options) {
    LocalContext context;
    TrialResult result = run_trial_guarded(b, request.problem, request.candidate, options, context,
                                           [&context] { return context.phase(); });
    result.attempt = request.attempt;
    reject_impossible_timing(&result);
    return result;
  }

  ExecutorOptions options_;
  std::string load_error_;
  std::unique_ptr<LoadedBackend> backend_;
};

}  // namespace

std::unique_ptr<Executor> make_in_process_executor(const ExecutorOptions& options) {
  return std::make_unique<InProcessExecutor>(options);
}

}  // namespace convprobe
