#include "backends/miopen/solver_listing.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "backends/miopen/device_query.hpp"
#include "core/host_trial.hpp"

namespace convprobe::miopen {
namespace {

SolverRef from_row(const SolverSwitch& row) {
  return {static_cast<uint64_t>(row.id), &row, std::string(row.name), std::string(row.family)};
}

// An id the loaded MIOpen registers but the table does not know for its release: a stable generic name, the
// family of its algorithm.
SolverRef generic(uint64_t id, int algorithm) {
  const std::string f = family_of_algorithm(algorithm);
  return {id, nullptr, "Solver" + std::to_string(id), f.empty() ? "unknown" : f};
}

bool enabled(const SolverRef& s, Direction dir, const std::string& arch, const EnvLookup& env,
             MiopenVersion v) {
  if (s.row != nullptr) return solver_enabled(*s.row, dir, arch, env, v);
  return family_enabled(s.family, env, v);
}

}  // namespace

SolverRef listed_solver(uint64_t id, int listed_algorithm, MiopenVersion v) {
  if (const auto* row = find_solver(static_cast<int>(id), v)) return from_row(*row);
  return generic(id, listed_algorithm);
}

std::string forced_worker_env(uint64_t solver_id) {
  // NORMAL: the only find mode whose search sees non-dynamic solvers and that never answers from the
  // immediate fallback (5.2 convolutionocl.cpp:469-493). ENFORCE=NONE: no tuning, no perf-db writes (any
  // other action would also force NORMAL, find_controls.hpp:126-135). FORCE_IMMED_MODE_FALLBACK=0: declared
  // from 5.7, where it makes a Hybrid Find return the fallback (5.7 convolutionocl.cpp:184-185); 5.2 ignores
  // it. Find-db off: no user record read or written. The plugin sets the same again before MIOpen loads
  // (miopen_backend.cpp), so nothing the user exported in between can win.
  return std::string(kFindOnlySolverEnv) + "=" + std::to_string(solver_id) +
         "\nMIOPEN_FIND_MODE=NORMAL\nMIOPEN_DEBUG_DISABLE_FIND_DB=1\nMIOPEN_FIND_ENFORCE=NONE"
         "\nMIOPEN_DEBUG_FORCE_IMMED_MODE_FALLBACK=0";
}

Candidate make_candidate(const SolverRef& s, bool forced) {
  Candidate c;
  c.id = "miopen." + std::to_string(s.id) + "." + s.name;
  c.family = s.family;
  c.attrs["solver_id"] = std::to_string(s.id);
  c.attrs["solver_name"] = s.name;
  c.attrs["listing"] = forced ? "forced" : "immediate";
  c.attrs["dynamic"] = s.row == nullptr ? "unknown" : s.row->dynamic ? "1" : "0";
  if (forced) c.attrs["worker_env"] = forced_worker_env(s.id);
  return c;
}

std::vector<SolverRef> release_solvers(const Runtime& rt, MiopenVersion v) {
  std::vector<SolverRef> out;
  // miopenGetSolverIdConvAlgorithm: first in rocm-5.7.0 (miopen.h:5002); InvalidValue for ids that are no
  // conv solver (develop src/api/find2_0_commons.cpp:519-531).
  if (effective(v) >= kMiopenRocm57 && rt.mi.solver_algorithm != nullptr) {
    for (uint64_t id = 1; id <= kMaxSolverId; ++id) {
      int algo = -1;
      if (rt.mi.solver_algorithm(id, &algo) != miopen_abi::kSuccess) continue;
      const auto* row = find_solver(static_cast<int>(id), v);
      out.push_back(row != nullptr ? from_row(*row) : generic(id, algo));
    }
    if (!out.empty()) return out;
  }
  for (const auto* row : solver_table(v)) out.push_back(from_row(*row));
  return out;
}

std::vector<miopen_abi::ConvSolution> immediate_listing(const Runtime& rt, miopen_abi::Handle h,
                                                        const ProblemDescriptors& d, Direction dir) {
  const auto& fns = rt.mi.dir[direction_index(dir)];
  const auto o = d.immediate_order();
  size_t count = 0;
  auto s = fns.get_solution_count(h, d.tensor(o[0]), d.tensor(o[1]), d.conv(), d.tensor(o[2]), &count);
  if (s == miopen_abi::kNotImplemented || s == miopen_abi::kBadParm) return {};
  if (s != miopen_abi::kSuccess) throw std::runtime_error("GetSolutionCount failed: " + rt.status_text(s));
  std::vector<miopen_abi::ConvSolution> out(count);
  if (count == 0) return out;
  size_t returned = 0;
  s = fns.get_solution(h, d.tensor(o[0]), d.tensor(o[1]), d.conv(), d.tensor(o[2]), count, &returned,
                       out.data());
  if (s == miopen_abi::kNotImplemented || s == miopen_abi::kBadParm) return {};
  if (s != miopen_abi::kSuccess) throw std::runtime_error("GetSolution failed: " + rt.status_text(s));
  out.resize(std::min(returned, count));
  return out;
}

std::vector<Candidate> list_candidates(const Runtime& rt, miopen_abi::Handle h, const Problem& p,
                                       const std::string& arch) {
  if (miopen_data_type(p.type) < 0) return {};  // tf32: MIOpen has no such math mode
  const auto& fns = rt.mi.dir[direction_index(p.dir)];
  if (!fns.immediate_complete()) {
    throw std::runtime_error("this MIOpen lacks the immediate-mode entry points for " +
                             std::string(to_string(p.dir)));
  }
  std::unique_ptr<ProblemDescriptors> d;
  try {
    d = std::make_unique<ProblemDescriptors>(rt, p);
  } catch (const TrialError&) {
    return {};  // MIOpen cannot describe this problem: no candidates
  }
  const MiopenVersion v = loaded_version(rt);
  std::vector<Candidate> out;
  std::set<uint64_t> seen;
  for (const auto& sol : immediate_listing(rt, h, *d, p.dir)) {
    if (!seen.insert(sol.solution_id).second) continue;
    out.push_back(make_candidate(listed_solver(sol.solution_id, sol.algorithm, v), false));
  }
  const auto o = d->immediate_order();
  const auto env = process_env();
  for (const auto& s : release_solvers(rt, v)) {
    if (seen.count(s.id) != 0 || !enabled(s, p.dir, arch, env, v)) continue;
    size_t ws = 0;
    const auto st =
        fns.get_workspace_size(h, d->tensor(o[0]), d->tensor(o[1]), d->conv(), d->tensor(o[2]), s.id, &ws);
    if (st != miopen_abi::kSuccess) continue;  // not applicable (BadParm) or unknown to this MIOpen
    out.push_back(make_candidate(s, true));
  }
  std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    return std::stoull(a.attrs.at("solver_id")) < std::stoull(b.attrs.at("solver_id"));
  });
  return out;
}

}  // namespace convprobe::miopen
