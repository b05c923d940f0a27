#include "supervisor/watchdog.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

namespace convprobe {

void SpeedEstimate::add(double flops, double wall_ms) {
  if (!(flops > 0) || !std::isfinite(wall_ms) || wall_ms < kMinInformativeWallMs) return;
  ms_per_flop_ = std::max(ms_per_flop_, wall_ms / flops);
}

double phase_deadline_ms(const WatchdogLimits& limits, const SpeedEstimate& speed, const PhaseWork& work) {
  double expected = std::max(0.0, work.heartbeat_expected_ms);
  expected = std::max(expected, speed.expected_ms(work.flops));
  if (work.phase == Phase::time && work.run_phase_ms >= 0) {
    // One verified run took run_phase_ms (load and store included, so this over-estimates a timed run).
    expected = std::max(expected, work.run_phase_ms * std::max(1, work.timed_runs) + work.min_time_ms);
  }
  const double scaled = std::isfinite(expected) ? kWorkFactor * expected : limits.cap_ms;
  return std::min(limits.cap_ms, std::max(limits.floor_ms, scaled));
}

namespace {

bool loaded(const PhaseObservation& seen) {
  return seen.cpu_wait_ms >= kLoadedWaitShare * seen.silent_ms || seen.pressure >= kLoadedPressurePercent;
}

double runnable_ms(const PhaseObservation& seen) { return std::max(0.0, seen.silent_ms - seen.cpu_wait_ms); }

}  // namespace

PhaseWatch::Judgement PhaseWatch::judge(const PhaseObservation& seen) {
  const double runnable = runnable_ms(seen);
  if (seen.silent_ms >= wall_limit_ms()) return Judgement{true, 0};
  if (runnable >= runnable_limit_ms()) {
    // On an idle machine a passed deadline is a hang. On a loaded one, the worker may be slowed in ways its
    // CPU wait does not show (memory or I/O stalls, a starved helper process): it gets one more deadline.
    if (confirming_ || !loaded(seen)) return Judgement{true, 0};
    confirming_ = true;
    confirm_seen_ = seen;
  }
  const double recheck = std::min(runnable_limit_ms() - runnable_ms(seen), wall_limit_ms() - seen.silent_ms);
  return Judgement{false, std::max(1.0, recheck)};
}

std::string PhaseWatch::hang_explanation(const PhaseObservation& seen) const {
  std::string text = fmt::format("deadline {:.0f} ms", deadline_ms_);
  if (seen.cpu_wait_ms >= 1)
    text += fmt::format(" of run time; {:.0f} ms of it waiting for a CPU", seen.cpu_wait_ms);
  if (confirming_) {
    text += fmt::format(
        "; confirmed under load: no progress in a further {:.0f} ms (at the deadline the worker "
        "had waited {:.0f} ms for a CPU",
        deadline_ms_, confirm_seen_.cpu_wait_ms);
    if (confirm_seen_.pressure >= 0)
      text +=
          fmt::format(", machine {} pressure {:.0f}%", confirm_seen_.pressure_kind, confirm_seen_.pressure);
    text += ")";
  }
  if (seen.silent_ms >= wall_limit_ms() && runnable_ms(seen) < runnable_limit_ms()) {
    text += fmt::format(
        "; the machine is overloaded: the worker could run only {:.0f} of {:.0f} ms, and a "
        "silent phase ends after {:.0f}x its deadline",
        runnable_ms(seen), seen.silent_ms, kMaxLoadStretch);
  }
  return text;
}

}  // namespace convprobe
