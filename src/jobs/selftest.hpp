// `convprobe selftest`: a backend's fault candidates under the real supervisor, each verdict checked against
// what the fault must produce. What to run and what to expect is the backend's selftest plan (its
// BackendTraits, include/convprobe/backend_traits.hpp): the fault backend's CPU faults over the gfx1010-sizes
// preset, or a GPU backend's device faults. Proves on a new machine that hangs, crashes and garbage are
// caught before anyone trusts a sweep.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "exec/executor.hpp"

namespace convprobe {

struct SelftestOptions {
  /// A backend whose traits have a selftest plan: every_candidate runs every listed candidate over the
  /// preset; device_faults runs its family "fault" candidates, each followed by a healthy "canary" candidate
  /// that must PASS, proving the next trial gets a clean context from the standby worker.
  std::string backend;
  std::string preset = "gfx1010-sizes";
  double timeout_floor_ms = 300;  ///< small: ~20 hangs cost one floor each; deadlines still scale with speed
  double timeout_cap_ms = 10000;
  std::string worker_executable;   ///< empty: this program
  std::string candidate_patterns;  ///< globs to restrict the candidates (empty: all)
};

struct SelftestTrial {
  Problem problem;
  std::string candidate;
  Verdict expected = Verdict::untested;
  TrialResult result;
  [[nodiscard]] bool matches() const { return result.verdict == expected; }
};

struct SelftestReport {
  std::vector<SelftestTrial> trials;  ///< in request order
  double seconds = 0;
  [[nodiscard]] bool all_match() const;
};

/// The backends with a selftest plan (their traits), as the help and the error name them: "'fault' (CPU)",
/// joined by " or " in the long form (the help), by " and " in the short one (the error).
[[nodiscard]] std::string selftest_backends(bool long_form);
/// The default backend: the first whose selftest needs no device (CPU faults).
[[nodiscard]] std::string default_selftest_backend();

/// Checks the options before anything starts: a backend with fault candidates, and a --candidates selection
/// that selects some fault candidate (UsageError otherwise, with the selection checks' messages).
void check_selftest_options(const SelftestOptions& options);

/// Runs the selftest. `progress` (may be empty) is called after each trial with (done, total).
/// Throws std::runtime_error when the preset is missing, the backend has no selftest plan or cannot be used.
[[nodiscard]] SelftestReport run_selftest(const SelftestOptions& options,
                                          const std::function<void(size_t, size_t)>& progress = {});

/// The trial options the selftest uses: few repeats, sampled verification above 10 MMAC, so the largest
/// problem (512x512) costs a copy, not a full fp64 reference per worker.
[[nodiscard]] TrialOptions selftest_trial_options();

}  // namespace convprobe
