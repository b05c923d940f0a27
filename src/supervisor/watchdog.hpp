// The watchdog's deadline for one trial phase (docs/supervisor.md, "Watchdog"):
//
//   deadline = min(cap, max(floor, kWorkFactor x expected))
//   expected = max(heartbeat's expected_ms,                       the backend's own estimate, if it gave one
//                  flops x slowest ms-per-flop seen on the device, from finished trials' wall time
//                  time phase only: run-phase ms x (warmup + repeats) + min_time_ms)
//
// The deadline restarts at every heartbeat, so it bounds "no progress", not the whole trial. Before any
// trial has finished on the device (or when every trial so far was too short to say anything about speed)
// the floor alone applies.
//
// Under load (PhaseWatch): the deadline counts the time the worker could run, i.e. wall time minus the time
// its threads waited for a CPU; when it passes on a loaded machine, one confirmation (a second deadline of
// such time) must also pass without progress; and no silent phase outlives kMaxLoadStretch deadlines of
// wall time, so a real hang is caught in bounded time however busy the machine is.
#pragma once

#include <string>

#include "convprobe/trial.hpp"

namespace convprobe {

/// Margin over the expected work before a phase counts as hung.
inline constexpr double kWorkFactor = 5.0;
/// Trials shorter than this do not inform the speed estimate: their wall time is fixed overhead (allocation,
/// poisoning, IPC), and extrapolating it by FLOPs would make deadlines of big problems absurdly long.
inline constexpr double kMinInformativeWallMs = 20.0;

/// How fast a device runs this backend's trials, learnt from finished trials (kept per device: it survives
/// the worker processes that come and go).
class SpeedEstimate {
 public:
  void add(double flops, double wall_ms);
  [[nodiscard]] bool known() const { return ms_per_flop_ > 0; }
  /// Expected wall time of a trial of `flops`, or 0 when unknown.
  [[nodiscard]] double expected_ms(double flops) const { return flops > 0 ? flops * ms_per_flop_ : 0; }

 private:
  double ms_per_flop_ = 0;  ///< the slowest rate seen: the deadline has to fit the slowest legal candidate
};

struct PhaseWork {
  Phase phase = Phase::setup;
  double heartbeat_expected_ms = 0;  ///< from the worker's heartbeat; <= 0: none
  double flops = 0;                  ///< the problem's FLOPs
  double run_phase_ms = -1;          ///< measured length of this trial's run phase; < 0: not measured
  int timed_runs = 0;                ///< warmup + repeats
  double min_time_ms = 0;
};

struct WatchdogLimits {
  double floor_ms = 2000;
  double cap_ms = 600000;
};

/// Milliseconds without progress after which the phase counts as hung.
[[nodiscard]] double phase_deadline_ms(const WatchdogLimits& limits, const SpeedEstimate& speed,
                                       const PhaseWork& work);

/// A phase counts as loaded when its worker waited for a CPU this share of its silent time or more, or when
/// the machine reports this much pressure (PSI "some avg10", percent) on CPU, memory or I/O.
inline constexpr double kLoadedWaitShare = 0.10;
inline constexpr double kLoadedPressurePercent = 10.0;
/// A silent phase is HANG after this many deadlines of wall time (confirmation included), however starved.
inline constexpr double kMaxLoadStretch = 8.0;

/// What the supervisor sees of a silent phase when it looks.
struct PhaseObservation {
  double silent_ms = 0;       ///< wall time since the phase's heartbeat
  double cpu_wait_ms = 0;     ///< of it, time the worker (any one of its threads) waited for a CPU
  double pressure = -1;       ///< the machine's worst PSI "some avg10", percent; < 0: unknown
  std::string pressure_kind;  ///< which resource that was: "cpu", "memory" or "io"
};

/// Judges one phase of one trial against its deadline, on the clock of the time the worker could run.
class PhaseWatch {
 public:
  explicit PhaseWatch(double deadline_ms = 0) : deadline_ms_(deadline_ms) {}

  struct Judgement {
    bool hung = false;
    double recheck_in_ms = 0;  ///< not hung: look again after this long at the latest
  };
  /// Call when the phase's (next) deadline may have passed; starts the confirmation on a loaded machine.
  Judgement judge(const PhaseObservation& seen);

  [[nodiscard]] double deadline_ms() const { return deadline_ms_; }
  [[nodiscard]] bool confirming() const { return confirming_; }
  /// What the HANG detail says after "no progress for X ms in phase P": "(deadline D ms...)".
  [[nodiscard]] std::string hang_explanation(const PhaseObservation& seen) const;

 private:
  [[nodiscard]] double runnable_limit_ms() const { return confirming_ ? 2 * deadline_ms_ : deadline_ms_; }
  [[nodiscard]] double wall_limit_ms() const { return kMaxLoadStretch * runnable_limit_ms(); }

  double deadline_ms_;
  bool confirming_ = false;
  PhaseObservation confirm_seen_;  ///< what the watchdog saw when the confirmation began
};

}  // namespace convprobe
