// The owning side of ninja's subprocess split: every live worker of an executor, waited on in one ppoll loop.
// The deadline of the loop is the earliest watchdog deadline, so a hang on one device never stalls another.
//
// Signals (SignalScope): while an executor call is running, SIGCHLD, SIGINT, SIGTERM and SIGHUP are blocked
// in the calling thread and unblocked only inside ppoll, where their handlers just record them. A child's
// death wakes the loop at once; Ctrl-C ends the call cleanly (every worker killed, then an exception).
#pragma once

#include <poll.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <vector>

#include "supervisor/worker_process.hpp"

namespace convprobe {

/// Active for the duration of an executor call; nests (inner scopes do nothing).
class SignalScope {
 public:
  SignalScope();
  ~SignalScope();
  SignalScope(const SignalScope&) = delete;
  SignalScope& operator=(const SignalScope&) = delete;
  /// The interrupting signal received since the outermost scope began (SIGINT, SIGTERM, SIGHUP), or 0.
  [[nodiscard]] static int interrupt_signal();
  /// The mask to wait with in ppoll, or nullptr when no scope is active in this thread.
  [[nodiscard]] static const sigset_t* wait_mask();

 private:
  bool outermost_ = false;
  sigset_t old_mask_{};
  struct sigaction old_actions_[4]{};
};

class WorkerSet {
 public:
  using Clock = std::chrono::steady_clock;
  /// Why wait() returned, in increasing priority order (ninja's WorkResult).
  enum class WaitResult { timeout, activity, interrupted };

  WorkerSet() = default;
  ~WorkerSet();
  WorkerSet(const WorkerSet&) = delete;
  WorkerSet& operator=(const WorkerSet&) = delete;

  WorkerProcess* add(std::unique_ptr<WorkerProcess> worker);
  /// SIGKILL the worker's group and forget it; it is reaped by later waits (never blocks the loop).
  void retire(WorkerProcess* worker);
  /// Destroy a worker that has already been reaped (or kill and reap it now).
  void remove(WorkerProcess* worker);
  /// Kill every worker and reap them all (blocking).
  void clear();
  /// Close every request pipe so idle workers exit on their own (their plugins' destructors run), wait up to
  /// `grace` for them, then clear() whatever is left.
  void shutdown(std::chrono::milliseconds grace);

  /// ppoll over every open pipe until something arrives, `deadline` passes or a signal comes. Reads what
  /// arrived into the workers' buffers and reaps children that ended.
  WaitResult wait(Clock::time_point deadline);
  /// Read what is already there without waiting (used right before composing a verdict).
  void poll_now();

  [[nodiscard]] size_t size() const { return workers_.size(); }
  [[nodiscard]] size_t retired() const { return graveyard_.size(); }

 private:
  /// One ppoll; returns 1 when woken by data or a signal, 0 on timeout.
  int poll_once(int timeout_ms);
  void reap_finished();
  std::vector<std::unique_ptr<WorkerProcess>> workers_;
  std::vector<std::unique_ptr<WorkerProcess>> graveyard_;  ///< killed, waiting to be reaped
  std::vector<pollfd> fds_;
};

}  // namespace convprobe
