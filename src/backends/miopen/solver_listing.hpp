// Candidates for a problem: every solver MIOpen has for it. The immediate-mode listing alone is not enough
// (it returns find-db entries or a fallback guess, and Find keeps only the best solver per family), so every
// other solver of the direction that the environment leaves enabled is probed with
// GetSolutionWorkspaceSize, which checks applicability for solvers that may need a workspace. Those become
// "forced" candidates: attrs worker_env = MIOPEN_DEBUG_FIND_ONLY_SOLVER=<id>, to be run in a worker of their
// own where Find (which always checks applicability) sees only that solver.
#pragma once

#include <string>
#include <vector>

#include "backends/miopen/descriptors.hpp"
#include "backends/miopen/runtime.hpp"
#include "convprobe/candidate.hpp"

namespace convprobe::miopen {

inline constexpr const char* kFindOnlySolverEnv = "MIOPEN_DEBUG_FIND_ONLY_SOLVER";

/// The candidate for a solver: id "miopen.<solver_id>.<SolverName>", family, attrs solver_id, solver_name,
/// listing ("immediate" or "forced") and, for forced ones, worker_env.
[[nodiscard]] Candidate make_candidate(uint64_t solver_id, const std::string& family, bool forced);

/// Solver ids the immediate-mode listing returns for the problem (empty when MIOpen has none:
/// NotImplemented). Throws std::runtime_error on any other failure.
[[nodiscard]] std::vector<miopen_abi::ConvSolution> immediate_listing(const Runtime& rt, miopen_abi::Handle h,
                                                                      const ProblemDescriptors& d,
                                                                      Direction dir);

/// Every candidate for the problem on a device of architecture `arch`, sorted by solver id.
[[nodiscard]] std::vector<Candidate> list_candidates(const Runtime& rt, miopen_abi::Handle h,
                                                     const Problem& p, const std::string& arch);

}  // namespace convprobe::miopen
