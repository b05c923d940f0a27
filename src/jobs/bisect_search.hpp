// `convprobe bisect`: where along one axis of a problem (problem/axis.hpp) a candidate's verdict changes. The
// search is pure (it sees verdicts through a probe function), so it is tested with fake verdicts;
// cmd_bisect.cpp supplies a probe that runs real trials through the supervisor and stores them.
//
// Method: probe both ends; if they agree, stop ("no change"). Otherwise binary search over the valid axis
// values in between, keeping the invariant "first index has the --from verdict, last index does not"; then
// re-run both neighbours of the boundary (a flaky candidate is reported as unstable) and spot-check a few
// random untested values on each side (a side that disagrees is reported as non-monotone, never hidden).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "convprobe/problem.hpp"
#include "convprobe/trial.hpp"
#include "problem/axis.hpp"

namespace convprobe {

struct BisectPoint {
  int64_t value = 0;
  TrialResult result;
  std::string role;  ///< "from", "to", "search", "confirm", "spot"
};

struct BisectOutcome {
  enum class Kind { boundary, no_change, non_monotone, unstable };
  Kind kind = Kind::no_change;
  /// Boundary pair (kind boundary, non_monotone, unstable): last value with the "good" verdict and the
  /// adjacent value with the other. "Good" is the PASS side when exactly one side passes, else the --from
  /// side.
  int64_t last_good = 0;
  int64_t first_bad = 0;
  TrialResult good;
  TrialResult bad;
  std::string message;              ///< "non-monotone: PASS at 37 but HANG at 33", "unstable: ...", notes
  std::vector<BisectPoint> points;  ///< every probe in the order it ran
};

struct BisectSettings {
  int spot_checks_per_side = 3;
  uint64_t seed = 20261125;
};

using BisectProbe = std::function<TrialResult(int64_t value, const std::string& role)>;

/// `values`: the valid axis values ordered from --from to --to (at least two). Probes each value at most once
/// except the two boundary neighbours, which are confirmed by a second run.
[[nodiscard]] BisectOutcome bisect_values(const std::vector<int64_t>& values, const BisectProbe& probe,
                                          const BisectSettings& settings = {});

/// "fault.hang@hw>42: PASS at hw<=42, HANG at hw>=43" (values in ascending order whatever the direction).
[[nodiscard]] std::string describe_boundary(const std::string& candidate, Axis axis,
                                            const BisectOutcome& outcome);

}  // namespace convprobe
