#include "supervisor/watchdog.hpp"

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

}  // namespace convprobe
