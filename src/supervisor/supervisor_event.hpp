// What the supervisor did, in order: the record tests and the benchmark read (SupervisedExecutor::events()).
// The device slots log their workers' lives (spawned, ready, promoted, lost), the executor its trials.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "convprobe/trial.hpp"

namespace convprobe {

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

/// The events of one run() (cleared at its start), stamped when they are added.
class SupervisorLog {
 public:
  SupervisorEvent& add(SupervisorEvent::Kind kind, int device, int64_t pid, int64_t request = -1,
                       int attempt = 0, Verdict verdict = Verdict::untested) {
    return events_.emplace_back(
        SupervisorEvent{kind, std::chrono::steady_clock::now(), device, pid, request, attempt, verdict});
  }
  void clear() { events_.clear(); }
  [[nodiscard]] const std::vector<SupervisorEvent>& events() const { return events_; }

 private:
  std::vector<SupervisorEvent> events_;
};

}  // namespace convprobe
