// The judgement of `convprobe verify`, pure and unit-tested: which problems are behind a policy, the latest
// stored verdicts before it, and whether a problem passes with it (verify_policy.hpp runs the trials).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "policy/policy_source.hpp"

namespace convprobe {

struct VerifiedCandidate {
  std::string id;
  std::optional<Verdict> before;  ///< latest stored verdict on this problem, if any
  TrialResult after;
};

struct VerifiedProblem {
  std::string problem;
  std::vector<VerifiedCandidate> candidates;  ///< what the worker ran with the policy applied
  std::vector<std::string> removed;           ///< stored candidates the policy took away on this problem
  std::vector<std::string> issues;            ///< why verification fails here (empty: ok)
  std::vector<std::string> notes;             ///< worth saying, not a failure
  std::string written;                        ///< miopen-finddb: the solver the problem's record names
  size_t before_pass = 0;
  size_t after_pass = 0;
  [[nodiscard]] bool ok() const { return issues.empty(); }
};

/// Judge one problem. A failing candidate after the policy is an issue ("still failing" when it failed before
/// or the policy blocks it, else "new failure"); so is losing every passing candidate. A blocked candidate
/// the worker still offered but that now passes is a note (an env policy did not remove it).
[[nodiscard]] VerifiedProblem judge_problem(const std::string& problem,
                                            const std::map<std::string, Verdict>& before,
                                            const std::vector<VerifiedCandidate>& after,
                                            const std::set<std::string>& blocked_ids);

/// Latest stored verdict per candidate (highest trial id) for each problem key, for one backend.
[[nodiscard]] std::map<std::string, std::map<std::string, Verdict>> latest_verdicts(
    const std::string& backend, const std::vector<StoredTrial>& trials);

/// The problems (canonical keys) behind a policy: its evidence and preferred problems (convprobe format),
/// else the stored problems of the backend that had a failure, else every stored problem of the backend.
[[nodiscard]] std::vector<std::string> problems_behind(const PolicySource& source, const std::string& backend,
                                                       const std::vector<StoredTrial>& trials);

}  // namespace convprobe
