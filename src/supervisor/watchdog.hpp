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
#pragma once

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

}  // namespace convprobe
