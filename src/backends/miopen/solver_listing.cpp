#include "backends/miopen/solver_listing.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "core/host_trial.hpp"
#include "vendor/miopen_switches.hpp"

namespace convprobe::miopen {
namespace {

std::string family_for(const Runtime& rt, uint64_t id, int listed_algorithm) {
  if (const auto* s = find_solver(static_cast<int>(id))) return std::string(s->family);
  int algo = listed_algorithm;
  if (algo < 0 && rt.mi.solver_algorithm != nullptr) {
    if (rt.mi.solver_algorithm(id, &algo) != miopen_abi::kSuccess) algo = -1;
  }
  const std::string f = family_of_algorithm(algo);
  return f.empty() ? "unknown" : f;
}

}  // namespace

Candidate make_candidate(uint64_t solver_id, const std::string& family, bool forced) {
  const auto* s = find_solver(static_cast<int>(solver_id));
  // A solver newer than our table keeps a stable id all the same: MIOpen never reuses ids.
  const std::string name = s != nullptr ? std::string(s->name) : "Solver" + std::to_string(solver_id);
  Candidate c;
  c.id = "miopen." + std::to_string(solver_id) + "." + name;
  c.family = family;
  c.attrs["solver_id"] = std::to_string(solver_id);
  c.attrs["solver_name"] = name;
  c.attrs["listing"] = forced ? "forced" : "immediate";
  if (forced) c.attrs["worker_env"] = std::string(kFindOnlySolverEnv) + "=" + std::to_string(solver_id);
  return c;
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
  std::vector<Candidate> out;
  std::set<uint64_t> seen;
  for (const auto& sol : immediate_listing(rt, h, *d, p.dir)) {
    if (!seen.insert(sol.solution_id).second) continue;
    out.push_back(make_candidate(sol.solution_id, family_for(rt, sol.solution_id, sol.algorithm), false));
  }
  const auto o = d->immediate_order();
  const auto env = process_env();
  for (const auto& s : solver_table()) {
    if (seen.count(static_cast<uint64_t>(s.id)) != 0) continue;
    if (!solver_enabled(s, p.dir, arch, env)) continue;
    size_t ws = 0;
    const auto st = fns.get_workspace_size(h, d->tensor(o[0]), d->tensor(o[1]), d->conv(), d->tensor(o[2]),
                                           static_cast<uint64_t>(s.id), &ws);
    if (st != miopen_abi::kSuccess) continue;  // not applicable (BadParm) or unknown to this MIOpen
    out.push_back(make_candidate(static_cast<uint64_t>(s.id), std::string(s.family), true));
  }
  std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    return std::stoull(a.attrs.at("solver_id")) < std::stoull(b.attrs.at("solver_id"));
  });
  return out;
}

}  // namespace convprobe::miopen
