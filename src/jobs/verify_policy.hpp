// `convprobe verify`: re-run the problems behind a policy in a fresh worker with the policy applied and judge
// the result against the stored verdicts. The judgement (verify_judgement.hpp) is pure and unit-tested;
// run_verify drives an Executor; verify_job.hpp is the whole command's job.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "exec/executor.hpp"
#include "jobs/verify_judgement.hpp"
#include "policy/policy_source.hpp"

namespace convprobe {

struct VerifySettings {
  bool all_candidates = false;  ///< run every listed candidate, not only those with a stored verdict
  TrialOptions trial;
  /// Called after each problem (progress lines).
  std::function<void(const VerifiedProblem&)> on_problem;
};

struct VerifyReport {
  std::vector<VerifiedProblem> problems;
  std::vector<std::string> errors;  ///< problems that could not be run at all
  std::string onednn_cap;           ///< onednn-env: the cap in effect (lower case), empty otherwise
  [[nodiscard]] bool ok() const;
};

/// Run each problem's candidates through `executor` (created with the policy's env), filtered by the
/// convprobe policy when there is one, and judge them. For onednn-env, also checks that no listed
/// implementation is above the cap (oneDNN ignores an unknown value silently).
[[nodiscard]] VerifyReport run_verify(const PolicySource& source, const std::string& backend,
                                      const std::vector<StoredTrial>& trials,
                                      const std::vector<Problem>& problems, Executor& executor,
                                      const VerifySettings& settings);

}  // namespace convprobe
