#include "supervisor/worker_set.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <ctime>

namespace convprobe {

namespace {

constexpr int kHandledSignals[4] = {SIGCHLD, SIGINT, SIGTERM, SIGHUP};

volatile sig_atomic_t g_interrupt_signal = 0;
thread_local int t_scope_depth = 0;
thread_local sigset_t t_wait_mask;

extern "C" void record_signal(int signo) {
  if (signo != SIGCHLD) g_interrupt_signal = signo;  // SIGCHLD only has to wake ppoll up
}

/// Bound on one ppoll: a signal delivered to another thread of the program does not interrupt our ppoll, so
/// look at the flags now and then anyway. A pipe that closed before its child was reaped is re-checked soon.
constexpr int kMaxPollMs = 250;
constexpr int kReapRecheckMs = 2;

}  // namespace

SignalScope::SignalScope() {
  if (t_scope_depth++ > 0) return;
  outermost_ = true;
  g_interrupt_signal = 0;
  sigset_t block;
  sigemptyset(&block);
  for (int s : kHandledSignals) sigaddset(&block, s);
  pthread_sigmask(SIG_BLOCK, &block, &old_mask_);
  t_wait_mask = old_mask_;
  for (int s : kHandledSignals) sigdelset(&t_wait_mask, s);
  struct sigaction act {};
  act.sa_handler = record_signal;
  sigemptyset(&act.sa_mask);
  act.sa_flags = SA_NOCLDSTOP;
  for (int i = 0; i < 4; ++i) sigaction(kHandledSignals[i], &act, &old_actions_[i]);
}

SignalScope::~SignalScope() {
  --t_scope_depth;
  if (!outermost_) return;
  for (int i = 0; i < 4; ++i) sigaction(kHandledSignals[i], &old_actions_[i], nullptr);
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

int SignalScope::interrupt_signal() { return g_interrupt_signal; }

const sigset_t* SignalScope::wait_mask() { return t_scope_depth > 0 ? &t_wait_mask : nullptr; }

WorkerSet::~WorkerSet() { clear(); }

WorkerProcess* WorkerSet::add(std::unique_ptr<WorkerProcess> worker) {
  workers_.push_back(std::move(worker));
  return workers_.back().get();
}

void WorkerSet::retire(WorkerProcess* worker) {
  auto it = std::find_if(workers_.begin(), workers_.end(), [&](const auto& w) { return w.get() == worker; });
  if (it == workers_.end()) return;
  (*it)->kill_group();
  (*it)->close_requests();
  if (!(*it)->try_reap()) graveyard_.push_back(std::move(*it));
  workers_.erase(it);
}

void WorkerSet::remove(WorkerProcess* worker) {
  std::erase_if(workers_, [&](const auto& w) { return w.get() == worker; });
}

void WorkerSet::clear() {
  // Kill everything first, then reap: the teardowns overlap instead of adding up.
  for (auto& w : workers_) w->kill_group();
  for (auto& w : graveyard_) w->kill_group();
  workers_.clear();
  graveyard_.clear();
}

void WorkerSet::shutdown(std::chrono::milliseconds grace) {
  for (auto& w : workers_) w->close_requests();
  const auto until = Clock::now() + grace;
  while (Clock::now() < until) {
    for (auto& w : workers_) {
      w->read_responses();  // discard: only the end of stream matters now
      w->read_stderr();
      w->try_reap();
    }
    std::erase_if(workers_, [](const auto& w) { return w->reaped(); });
    std::erase_if(graveyard_, [](const auto& w) { return w->try_reap(); });
    if (workers_.empty() && graveyard_.empty()) return;
    timespec ts{0, 2000000};  // 2 ms
    nanosleep(&ts, nullptr);
  }
  clear();
}

int WorkerSet::poll_once(int timeout_ms) {
  fds_.clear();
  for (const auto& w : workers_) {
    if (w->response_fd() >= 0) fds_.push_back(pollfd{w->response_fd(), POLLIN, 0});
    if (w->stderr_fd() >= 0) fds_.push_back(pollfd{w->stderr_fd(), POLLIN, 0});
  }
  timespec ts{timeout_ms / 1000, static_cast<long>(timeout_ms % 1000) * 1000000L};
  const int rc = ppoll(fds_.data(), fds_.size(), &ts, SignalScope::wait_mask());
  const bool woken = rc > 0 || (rc < 0 && errno == EINTR);  // EINTR: a signal (a child ended, Ctrl-C)
  if (rc > 0) {
    // Read every worker with something pending (order does not matter: each has its own buffers).
    size_t i = 0;
    for (const auto& w : workers_) {
      const bool has_resp = w->response_fd() >= 0;
      const bool has_err = w->stderr_fd() >= 0;
      if (has_resp && fds_[i++].revents != 0) w->read_responses();
      if (has_err && fds_[i++].revents != 0) w->read_stderr();
    }
  }
  reap_finished();
  return woken ? 1 : 0;
}

void WorkerSet::reap_finished() {
  // Every worker, not only those whose pipe closed: a grandchild may hold the pipe open after the worker
  // itself died. One waitpid(WNOHANG) per worker per turn is nothing next to a trial.
  for (const auto& w : workers_) w->try_reap();
  std::erase_if(graveyard_, [](const auto& w) { return w->try_reap(); });
}

WorkerSet::WaitResult WorkerSet::wait(Clock::time_point deadline) {
  const auto now = Clock::now();
  long long ms =
      deadline <= now ? 0 : std::chrono::duration_cast<std::chrono::microseconds>(deadline - now).count();
  ms = (ms + 999) / 1000;  // round up: waking before the deadline would only cost another turn
  int timeout_ms = static_cast<int>(std::min<long long>(ms, kMaxPollMs));
  bool unreaped = false;
  for (const auto& w : workers_) unreaped = unreaped || (w->response_closed() && !w->reaped());
  if (unreaped || !graveyard_.empty()) timeout_ms = std::min(timeout_ms, kReapRecheckMs);
  const bool woken = poll_once(timeout_ms) != 0;
  if (SignalScope::interrupt_signal() != 0) return WaitResult::interrupted;
  return woken ? WaitResult::activity : WaitResult::timeout;
}

void WorkerSet::poll_now() { poll_once(0); }

}  // namespace convprobe
