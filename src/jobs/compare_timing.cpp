#include "jobs/compare_timing.hpp"

#include <cmath>
#include <vector>

#include "jobs/compare_stats.hpp"

namespace convprobe {

namespace {

/// The samples the test can use (a NaN has no rank).
std::vector<double> finite_samples(const Timing& t) {
  std::vector<double> out;
  for (double ms : t.samples_ms) {
    if (std::isfinite(ms)) out.push_back(ms);
  }
  return out;
}

Speed direction(double ratio, double threshold) {
  if (ratio > 1 + threshold) return Speed::slower;
  if (ratio < 1 - threshold) return Speed::faster;
  return Speed::same;
}

}  // namespace

bool timed_pass(const TrialResult& r) {
  return r.verdict == Verdict::pass && r.time && std::isfinite(r.time->median_ms) && r.time->median_ms > 0;
}

std::optional<TimeChange> compare_times(const TrialResult& a, const TrialResult& b,
                                        const CompareSettings& settings) {
  if (!timed_pass(a) || !timed_pass(b)) return std::nullopt;
  TimeChange c;
  c.median_a_ms = a.time->median_ms;
  c.median_b_ms = b.time->median_ms;
  c.ratio = c.median_b_ms / c.median_a_ms;
  const std::vector<double> sa = finite_samples(*a.time), sb = finite_samples(*b.time);
  c.samples_a = sa.size();
  c.samples_b = sb.size();
  c.speed = direction(c.ratio, settings.threshold);
  if (sa.empty() || sb.empty()) {
    c.test = SpeedTest::no_samples;
  } else if (smallest_p_value(sa.size(), sb.size()) >= settings.alpha) {
    c.test = SpeedTest::too_few_samples;
  } else {
    c.test = SpeedTest::mann_whitney;
    c.p = mann_whitney_u(sa, sb).p;
    if (c.p >= settings.alpha) c.speed = Speed::same;  // beyond the threshold, but within the noise
  }
  return c;
}

}  // namespace convprobe
