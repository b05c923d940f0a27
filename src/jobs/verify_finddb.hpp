// `verify` with a MIOpen user find-db in place (docs/amd.md, "Per-shape steering"): per stored problem, the
// record convprobe (or MIOpen) wrote for it, and a fresh worker per problem and mode in which MIOpen picks
// the solver itself, as a framework lets it: immediate mode (GetSolution's first solution) and the default
// Find (DYNAMIC_HYBRID; the backend's framework candidates, backends/miopen/framework_pick.hpp). A problem
// passes when both pick the record's solver, answer from the record (nothing offered that it does not
// name) and the picked solver passes against the fp64 reference. NORMAL mode (PyTorch's benchmark=True)
// ignores the find-db in a fresh process and is not checked: the miopen-env profile stays its safety net.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "jobs/verify_policy.hpp"

namespace convprobe {

/// What the find-db says for one problem.
struct FindDbExpectation {
  std::string key;                   ///< MIOpen's key; empty when MIOpen cannot be given the problem
  std::string why_no_key;            ///< then: why
  std::vector<std::string> written;  ///< the record's solvers, the one MIOpen uses first first; empty: none
};

/// "miopen.91.GemmFwdRest" -> "GemmFwdRest" (the solver name a record uses); the id itself otherwise.
[[nodiscard]] std::string solver_name_of(const std::string& candidate_id);

/// Judge one problem from its framework candidates' results (`after`, ids miopen.framework.<mode>, each
/// with TrialResult::picked) and the stored verdicts before (`before`, by candidate id).
[[nodiscard]] VerifiedProblem judge_finddb_problem(const std::string& problem, const FindDbExpectation& want,
                                                   const std::map<std::string, Verdict>& before,
                                                   const std::vector<VerifiedCandidate>& after);

/// run_verify for a miopen-finddb source: every problem, each with a record run through the framework
/// candidates (the executor's workers must have been started with source.env and source.verify_env).
/// A find-db file MIOpen changed while a problem ran (a lookup missed, so it searched and wrote) is an issue
/// of that problem.
[[nodiscard]] VerifyReport run_verify_finddb(const PolicySource& source, const std::string& backend,
                                             const std::vector<StoredTrial>& trials,
                                             const std::vector<Problem>& problems, Executor& executor,
                                             const VerifySettings& settings);

}  // namespace convprobe
