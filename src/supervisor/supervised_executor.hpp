// The supervised executor: every trial runs in a worker process watched by one ppoll loop. Per device one
// active worker runs trials and one warm standby waits, already past its hello; a hang costs one watchdog
// period (HANG), a crash costs one worker (CRASH), and in both cases the standby takes the next trial at
// once while a new standby starts in the background. docs/supervisor.md describes the whole design.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "supervisor/cpu_wait.hpp"
#include "exec/executor.hpp"
#include "exec/trial_plan.hpp"
#include "supervisor/watchdog.hpp"
#include "supervisor/worker_set.hpp"

namespace convprobe {

/// What the supervisor did, in order (for tests and the benchmark; cleared at the start of each run()).
struct SupervisorEvent {
  enum class Kind {
    spawned,         ///< a worker process started (as active or standby)
    ready,           ///< its hello arrived
    promoted,        ///< a standby became the active worker of its device
    trial_started,   ///< a trial request was written to `pid`
    trial_finished,  ///< a result was recorded (verdict in `verdict`)
    hang_suspected,  ///< a deadline passed on a loaded machine: the watchdog confirms before it records HANG
    deadline_expired,  ///< the watchdog fired for `pid` (the HANG is recorded right after)
    worker_lost,       ///< a worker was killed or died (with or without a trial in flight)
  };
  Kind kind;
  std::chrono::steady_clock::time_point time;
  int device = 0;
  int64_t pid = 0;
  int64_t request = -1;  ///< index into run()'s requests, or -1
  int attempt = 0;
  Verdict verdict = Verdict::untested;
  std::chrono::steady_clock::time_point deadline{};  ///< deadline_expired: when the watchdog judged the HANG
};

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

  [[nodiscard]] const std::vector<SupervisorEvent>& events() const { return events_; }

 private:
  using Clock = std::chrono::steady_clock;
  /// A worker must say hello within this long after it was started (loading a GPU library takes seconds).
  static constexpr std::chrono::seconds kStartupTimeout{60};

  struct SlotWorker {
    WorkerProcess* process = nullptr;
    bool ready = false;       ///< hello received
    std::string problem_key;  ///< the problem of its last trial (whose inputs and reference it holds)
  };

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

  struct DeviceSlot {
    int device = 0;
    SlotWorker active;
    SlotWorker standby;
    std::optional<InFlight> trial;
    std::deque<std::pair<size_t, int>> queue;  ///< (request, attempt) of the problem group it is running
    SpeedEstimate speed;
    int startup_failures = 0;  ///< workers lost before their hello, in a row
    std::string last_startup_error;
    std::string device_label;  ///< from results ("cpu", "cuda:0"); default "<backend>:<device>"
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

  // Worker lifecycle (supervised_executor.cpp).
  SlotWorker spawn_worker(DeviceSlot& slot);
  void ensure_workers(DeviceSlot& slot, bool want_standby);
  void promote_standby(DeviceSlot& slot);
  void lose_worker(DeviceSlot& slot, SlotWorker& worker, bool before_hello, const std::string& why);
  bool handle_hello(DeviceSlot& slot, SlotWorker& worker, const nlohmann::json& hello, std::string* err);
  void service_standby(DeviceSlot& slot);
  void wait_until_ready(DeviceSlot& slot);
  void check_startup_failures(const DeviceSlot& slot) const;
  void log(SupervisorEvent::Kind kind, const DeviceSlot& slot, int64_t pid, int64_t request = -1,
           int attempt = 0, Verdict verdict = Verdict::untested);
  /// Kill every worker and forget every queued trial (the run is ending early).
  void drop_all_workers();
  [[noreturn]] void interrupted();
  [[nodiscard]] nlohmann::json request_and_wait(DeviceSlot& slot, nlohmann::json request);

  // Trials (supervised_run.cpp).
  void service_active(DeviceSlot& slot, RunState* run);
  bool dispatch(DeviceSlot& slot, RunState& run);
  void on_heartbeat(DeviceSlot& slot, const nlohmann::json& message);
  /// Starts the watch of a phase that begins now (a dispatched trial, a heartbeat).
  void start_phase(DeviceSlot& slot, Phase phase, double heartbeat_expected_ms);
  /// The watchdog's look at the trial in flight; true when it was judged HANG (and recorded).
  bool check_deadline(DeviceSlot& slot, RunState* run);
  void finish_trial(DeviceSlot& slot, RunState* run, TrialResult result, bool worker_lost);
  void fail_trial_worker(DeviceSlot& slot, RunState* run, TrialResult result);
  [[nodiscard]] double deadline_for(const DeviceSlot& slot, Phase phase, double heartbeat_expected_ms) const;

  ExecutorOptions options_;
  WatchdogLimits limits_;
  WorkerSet set_;
  std::vector<DeviceSlot> slots_;
  std::optional<BackendInfo> info_;  ///< from the first hello
  uint64_t next_seq_ = 0;
  const TrialOptions* current_options_ = nullptr;
  std::vector<SupervisorEvent> events_;
};

}  // namespace convprobe
