// One device's workers, cut from the executor as ninja cuts Subprocess from SubprocessSet: the active worker
// that runs the device's trials and the warm standby that takes over when the active one is lost. A slot
// spawns them, reads the standby's hello (the active worker's messages are read by the executor, which
// tells the slot about a hello), promotes the standby, and forgets lost workers, counting those lost before
// their hello. It never looks at a trial: dispatch, heartbeats, the watchdog and verdicts are the
// executor's (supervised_executor.hpp). docs/supervisor.md describes the whole design.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "exec/executor.hpp"
#include "supervisor/supervisor_event.hpp"
#include "supervisor/worker_set.hpp"

namespace convprobe {

class DeviceSlot {
 public:
  using Clock = std::chrono::steady_clock;
  /// A worker must say hello within this long after it was started (loading a GPU library takes seconds).
  static constexpr std::chrono::seconds kStartupTimeout{60};

  struct Worker {
    WorkerProcess* process = nullptr;  ///< owned by the WorkerSet; null: no worker
    bool ready = false;                ///< hello received
    std::string problem_key;  ///< the problem of its last trial (whose inputs and reference it holds)
  };

  /// What the slots of one executor share; the executor owns all of it and outlives its slots.
  struct Shared {
    const ExecutorOptions* options = nullptr;    ///< backend, worker executable, extra environment
    WorkerSet* workers = nullptr;                ///< the one ppoll loop's set, which owns the processes
    SupervisorLog* log = nullptr;                ///< spawned, ready, promoted, worker_lost
    std::optional<BackendInfo>* info = nullptr;  ///< the backend's info, from the first hello of any worker
  };

  DeviceSlot(int device, Shared shared) : device_(device), shared_(shared) {}

  [[nodiscard]] int device() const { return device_; }
  [[nodiscard]] Worker& active() { return active_; }
  [[nodiscard]] const Worker& active() const { return active_; }
  [[nodiscard]] const Worker& standby() const { return standby_; }
  [[nodiscard]] bool has_active() const { return active_.process != nullptr; }
  [[nodiscard]] bool active_ready() const { return active_.process != nullptr && active_.ready; }
  /// Why the last worker of this device was lost (also the detail of the startup error).
  [[nodiscard]] const std::string& last_loss() const { return last_loss_; }

  /// Gives the device an active worker (the standby promoted, else a new one) and, with `want_standby`, a
  /// standby that says hello in the background while the active worker is busy: it never blocks the loop.
  /// Throws std::runtime_error when a worker cannot be started or kMaxStartupFailures in a row ended
  /// before their hello.
  void ensure_workers(bool want_standby);
  /// Reads what the standby sent: its hello, or anything that loses it (a protocol error, its end, no hello
  /// within kStartupTimeout).
  void service_standby();
  /// Accepts a hello from `worker` (active or standby). False with *err for a second hello, another protocol
  /// version or a malformed one: the caller ends the worker.
  bool handle_hello(Worker& worker, const nlohmann::json& hello, std::string* err);
  /// Loses `worker` when it is still waiting for its hello after kStartupTimeout.
  void check_hello_timeout(Worker& worker);
  /// Kills and forgets `worker` (the active one or the standby); `why` becomes last_loss(). A worker lost
  /// before its hello counts towards the startup failures.
  void lose(Worker& worker, const std::string& why);
  /// The active worker ended its trial badly (HANG, CRASH): killed and forgotten. The trial's verdict says
  /// why, so nothing else is recorded.
  void retire_active();
  /// Forgets both workers (the executor has just killed every worker of the set).
  void forget_workers();
  /// The earliest time a worker of this slot still waiting for its hello must have sent it; `later` if none.
  [[nodiscard]] Clock::time_point hello_deadline(Clock::time_point later) const;

 private:
  /// Workers lost before their hello, in a row, before the executor gives up on the device.
  static constexpr int kMaxStartupFailures = 3;

  Worker spawn();
  void promote_standby();
  void check_startup_failures() const;
  void log(SupervisorEvent::Kind kind, int64_t pid) { shared_.log->add(kind, device_, pid); }

  int device_ = 0;
  Shared shared_;
  Worker active_;
  Worker standby_;
  int startup_failures_ = 0;  ///< workers lost before their hello, in a row
  std::string last_loss_;
};

}  // namespace convprobe
