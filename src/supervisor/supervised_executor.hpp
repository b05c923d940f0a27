// The supervised executor: every trial runs in a worker process watched by one ppoll loop. Per device a
// DeviceSlot keeps one active worker that runs trials and one warm standby, already past its hello; the
// executor hands problem groups to free devices, reads the active workers' messages, runs the watchdog and
// writes the verdicts. A hang costs one watchdog period (HANG), a crash costs one worker (CRASH), and in
// both cases the standby takes the next trial at once while a new standby starts in the background.
// docs/supervisor.md describes the whole design.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "exec/executor.hpp"
#include "exec/problem_groups.hpp"
#include "supervisor/cpu_wait.hpp"
#include "supervisor/device_slot.hpp"
#include "supervisor/supervisor_event.hpp"
#include "supervisor/watchdog.hpp"
#include "supervisor/worker_set.hpp"

namespace convprobe {

class SupervisedExecutor final : public Executor {
 public:
  explicit SupervisedExecutor(ExecutorOptions options);
  ~SupervisedExecutor() override;
  SupervisedExecutor(const SupervisedExecutor&) = delete;
  SupervisedExecutor& operator=(const SupervisedExecutor&) = delete;

  BackendInfo info() override;
  std::vector<Candidate> candidates(const Problem& problem, const TrialOptions& options) override;
  void run(const std::vector<TrialRequest>& requests, const TrialOptions& options,
           const ResultCallback& on_result, const StartCallback& on_start = {}) override;

  /// What the supervisor did since the start of the last run() (before the first: since construction).
  [[nodiscard]] const std::vector<SupervisorEvent>& events() const { return log_.events(); }

 private:
  using Clock = std::chrono::steady_clock;

  /// The trial a device's active worker is running.
  struct InFlight {
    size_t request = 0;
    int attempt = 1;
    uint64_t seq = 0;
    double flops = 0;
    Phase phase = Phase::setup;
    Clock::time_point started;
    Clock::time_point phase_started;
    PhaseWatch watch;              ///< the phase's deadline, on the clock of the time the worker could run
    TaskWaits waits_at_start;      ///< the worker's CPU waits when the trial began
    TaskWaits waits_at_phase;      ///< the worker's CPU waits when the phase began
    Clock::time_point next_check;  ///< when the watchdog looks at this phase next
    double run_phase_ms = -1;
    bool builds_problem = false;  ///< first trial of its problem in this worker: pays inputs and reference
  };

  struct Answer {  ///< a reply to a candidates request
    uint64_t seq = 0;
    nlohmann::json message;
  };

  /// One device: its workers, and what the executor is running there.
  struct Device {
    DeviceSlot slot;
    std::optional<InFlight> trial;
    std::deque<std::pair<size_t, int>> queue;  ///< (request, attempt) of the problem group it is running
    SpeedEstimate speed;
    std::string label;  ///< from results ("cpu", "cuda:0"); default "<backend>:<device>"
    std::optional<Answer> answer;
  };

  /// Everything run() needs while it runs.
  struct RunState {
    const std::vector<TrialRequest>* requests = nullptr;
    const TrialOptions* options = nullptr;
    std::deque<ProblemGroup> groups;
    BestTimes best;
    std::vector<std::function<void()>> callbacks;  ///< delivered after each turn, in order
    const ResultCallback* on_result = nullptr;
    const StartCallback* on_start = nullptr;
  };

  // Calls outside a run: info and candidates through the first device's active worker
  // (supervised_executor.cpp).
  void wait_until_ready(Device& device);
  [[nodiscard]] nlohmann::json request_and_wait(Device& device, nlohmann::json request);
  /// Kill every worker and forget every queued trial (the call is ending early).
  void drop_all_workers();
  [[noreturn]] void interrupted();
  void throw_if_unavailable() const;

  // The trial loop (supervised_run.cpp).
  void run_loop(RunState& state);
  [[nodiscard]] Clock::time_point next_wake() const;
  bool dispatch(Device& device, RunState& run);
  void finish_trial(Device& device, RunState* run, TrialResult result, bool worker_lost);
  void fail_trial_worker(Device& device, RunState* run, TrialResult result);
  void deliver_result(const TrialRequest& request, int attempt, TrialResult result, RunState* run);

  // The active worker's messages and end (active_worker.cpp).
  void service_active(Device& device, RunState* run);
  /// Reads every whole message; false when the worker was lost or its trial ended it.
  bool read_active_messages(Device& device, RunState* run);
  bool on_trial_message(Device& device, RunState* run, const std::string& type, uint64_t seq,
                        nlohmann::json& message);
  void on_active_end(Device& device, RunState* run);
  void protocol_failure(Device& device, RunState* run, const std::string& error);

  // The watchdog over the trial in flight (trial_watch.cpp).
  void on_heartbeat(Device& device, const nlohmann::json& message);
  /// Starts the watch of a phase that begins now (a dispatched trial, a heartbeat).
  void start_phase(Device& device, Phase phase, double heartbeat_expected_ms);
  /// The watchdog's look at the trial in flight; true when it was judged HANG (and recorded).
  bool check_deadline(Device& device, RunState* run);
  [[nodiscard]] double deadline_for(const Device& device, Phase phase, double heartbeat_expected_ms) const;

  ExecutorOptions options_;
  WatchdogLimits limits_;
  WorkerSet set_;
  SupervisorLog log_;
  std::vector<Device> devices_;
  std::optional<BackendInfo> info_;  ///< from the first hello
  uint64_t next_seq_ = 0;
  const TrialOptions* current_options_ = nullptr;
};

}  // namespace convprobe
