// Candidates for a problem: every solver the loaded MIOpen has for it. The immediate-mode listing alone is
// not enough (it returns find-db entries or a fallback guess over dynamic solvers with a WTI, and Find keeps
// only the best solver per family), so every other solver of the loaded release that the environment leaves
// enabled is probed with GetSolutionWorkspaceSize, which checks applicability for solvers that may need a
// workspace. Those become "forced" candidates, run in a worker of their own whose environment makes MIOpen's
// Find see that solver only, in NORMAL mode (the only mode that reaches non-dynamic solvers:
// ../shared/research/miopen-real.md finding 1), with the find-db off.
//
// Which solvers: from 5.7 on, every id miopenGetSolverIdConvAlgorithm accepts (1..kMaxSolverId); before 5.7
// (the call does not exist) the table's rows for the release (vendor/miopen_switches).
#pragma once

#include <string>
#include <vector>

#include "backends/miopen/descriptors.hpp"
#include "backends/miopen/runtime.hpp"
#include "convprobe/candidate.hpp"
#include "vendor/miopen_switches.hpp"

namespace convprobe::miopen {

inline constexpr const char* kFindOnlySolverEnv = "MIOPEN_DEBUG_FIND_ONLY_SOLVER";
/// Highest id probed with miopenGetSolverIdConvAlgorithm (7.x registers conv solvers up to about 217).
inline constexpr uint64_t kMaxSolverId = 400;

/// A convolution solver of the loaded release: its table row, or (discovered, not in the table) a generic
/// name "Solver<id>" and the family of its algorithm.
struct SolverRef {
  uint64_t id = 0;
  const SolverSwitch* row = nullptr;
  std::string name;
  std::string family;
};

/// The candidate for a solver: id "miopen.<solver_id>.<SolverName>", family, attrs solver_id, solver_name,
/// listing ("immediate" or "forced"), dynamic ("1"/"0"/"unknown") and, for forced ones, worker_env.
[[nodiscard]] Candidate make_candidate(const SolverRef& s, bool forced);

/// A listed solution's solver: the table row of the loaded release, else generic with the listed algorithm.
[[nodiscard]] SolverRef listed_solver(uint64_t id, int listed_algorithm, MiopenVersion v);

/// The environment of a forced worker for `solver_id`: only that solver, NORMAL find mode, find-db off.
[[nodiscard]] std::string forced_worker_env(uint64_t solver_id);

/// The conv solvers of the loaded release (see the file comment).
[[nodiscard]] std::vector<SolverRef> release_solvers(const Runtime& rt, MiopenVersion v);

/// Solver ids the immediate-mode listing returns for the problem (empty when MIOpen has none:
/// NotImplemented). Throws std::runtime_error on any other failure.
[[nodiscard]] std::vector<miopen_abi::ConvSolution> immediate_listing(const Runtime& rt, miopen_abi::Handle h,
                                                                      const ProblemDescriptors& d,
                                                                      Direction dir);

/// Every candidate for the problem on a device of architecture `arch`, sorted by solver id.
[[nodiscard]] std::vector<Candidate> list_candidates(const Runtime& rt, miopen_abi::Handle h,
                                                     const Problem& p, const std::string& arch);

}  // namespace convprobe::miopen
