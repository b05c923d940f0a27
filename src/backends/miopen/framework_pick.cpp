#include "backends/miopen/framework_pick.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

#include "backends/miopen/device_query.hpp"
#include "backends/miopen/solver_listing.hpp"
#include "convprobe/trial.hpp"

namespace convprobe::miopen {
namespace {

Candidate framework_candidate(FrameworkMode mode) {
  Candidate c;
  c.id = std::string("miopen.framework.") + to_string(mode);
  c.family = "framework";
  c.attrs["listing"] = "framework";
  c.attrs["mode"] = to_string(mode);
  // A fresh worker per problem and mode: the verify job runs each problem on its own (one run() call), and
  // each worker_env text is a worker of its own.
  c.attrs["worker_env"] = std::string(kFrameworkEnv) + "=" + to_string(mode);
  return c;
}

std::vector<std::string> candidate_ids(const std::vector<miopen_abi::ConvSolution>& listing,
                                       MiopenVersion v) {
  std::vector<std::string> ids;
  ids.reserve(listing.size());
  for (const auto& sol : listing)
    ids.push_back(make_candidate(listed_solver(sol.solution_id, sol.algorithm, v), false).id);
  return ids;
}

// Find as PyTorch calls it (count 1, no workspace needed on a find-db hit: nothing is benchmarked), then
// the listing that answered it.
FrameworkPick pick_by_find(const Runtime& rt, miopen_abi::Handle h, const ProblemDescriptors& d,
                           Direction dir, const std::array<void*, 3>& buffers) {
  const auto& fns = rt.mi.dir[direction_index(dir)];
  if (fns.find == nullptr) throw TrialError(Verdict::unsupported, "this MIOpen has no Find entry point");
  const auto o = d.find_order();
  auto b = [&](TensorRole r) { return buffers[static_cast<int>(r)]; };
  miopen_abi::ConvAlgoPerf perf{};
  int returned = 0;
  const auto st = fns.find(h, d.tensor(o[0]), b(o[0]), d.tensor(o[1]), b(o[1]), d.conv(), d.tensor(o[2]),
                           b(o[2]), 1, &returned, &perf, nullptr, 0, false);
  if (st != miopen_abi::kSuccess || returned < 1)
    throw TrialError(Verdict::failed, "Find found no solution: " + rt.status_text(st));
  const auto listing = immediate_listing(rt, h, d, dir);
  const MiopenVersion v = loaded_version(rt);
  FrameworkPick pick;
  pick.offered = candidate_ids(listing, v);
  const std::string found = family_of_algorithm(perf.algo);
  if (listing.empty() || listing.front().algorithm != perf.algo) {
    throw TrialError(Verdict::failed,
                     fmt::format("Find chose a {} solution, but the immediate listing starts with {}: MIOpen "
                                 "did not answer from a find-db record",
                                 found, pick.offered.empty() ? "nothing" : pick.offered.front()));
  }
  pick.solver = listing.front().solution_id;
  return pick;
}

}  // namespace

const char* to_string(FrameworkMode m) {
  switch (m) {
    case FrameworkMode::listing:
      return "list";
    case FrameworkMode::immediate:
      return "immediate";
    case FrameworkMode::find:
      return "find";
    case FrameworkMode::record:
      return "record";
    case FrameworkMode::off:
      break;
  }
  return "off";
}

FrameworkMode framework_mode_of_process() {
  const char* v = std::getenv(kFrameworkEnv);
  const std::string s = v == nullptr ? "" : v;
  for (auto m :
       {FrameworkMode::listing, FrameworkMode::immediate, FrameworkMode::find, FrameworkMode::record}) {
    if (s == to_string(m)) return m;
  }
  return FrameworkMode::off;
}

std::vector<std::string> apply_framework_worker_env(FrameworkMode mode) {
  // Immediate and find: MIOpen's defaults, as a framework gets them. Record: NORMAL Find (the only mode that
  // searches, and stores what it found, in a fresh process), the find-db on; the forced solver stays.
  std::vector<std::pair<std::string, std::string>> settings = {
      {"MIOPEN_FIND_MODE", mode == FrameworkMode::record ? "NORMAL" : ""},
      {"MIOPEN_DEBUG_DISABLE_FIND_DB", ""},
      {"MIOPEN_FIND_ENFORCE", ""},
      {"MIOPEN_DEBUG_FORCE_IMMED_MODE_FALLBACK", ""}};
  if (mode != FrameworkMode::record) settings.emplace_back("MIOPEN_DEBUG_FIND_ONLY_SOLVER", "");
  std::vector<std::string> changed;
  for (const auto& [name, value] : settings) {
    const char* old = std::getenv(name.c_str());
    if (value.empty()) {
      if (old != nullptr) changed.push_back(name + " unset");
      unsetenv(name.c_str());
    } else {
      if (old == nullptr || value != old) changed.push_back(fmt::format("{}={}", name, value));
      setenv(name.c_str(), value.c_str(), 1);
    }
  }
  return changed;
}

std::vector<Candidate> framework_candidates() {
  return {framework_candidate(FrameworkMode::immediate), framework_candidate(FrameworkMode::find)};
}

FrameworkMode framework_mode_of(const Candidate& c) {
  const auto listing = c.attrs.find("listing");
  const auto mode = c.attrs.find("mode");
  if (listing == c.attrs.end() || listing->second != "framework" || mode == c.attrs.end())
    return FrameworkMode::off;
  if (mode->second == to_string(FrameworkMode::immediate)) return FrameworkMode::immediate;
  if (mode->second == to_string(FrameworkMode::find)) return FrameworkMode::find;
  if (mode->second == to_string(FrameworkMode::record)) return FrameworkMode::record;
  return FrameworkMode::off;
}

FrameworkPick pick_solver(const Runtime& rt, miopen_abi::Handle h, const ProblemDescriptors& d, Direction dir,
                          const std::array<void*, 3>& buffers, FrameworkMode mode) {
  FrameworkPick pick;
  if (mode == FrameworkMode::find) {
    pick = pick_by_find(rt, h, d, dir, buffers);
  } else {
    const auto listing = immediate_listing(rt, h, d, dir);
    if (listing.empty()) throw TrialError(Verdict::failed, "immediate mode lists no solution");
    pick.offered = candidate_ids(listing, loaded_version(rt));
    pick.solver = listing.front().solution_id;
  }
  // On stderr too: a hang or crash in the picked solver reports the worker's last lines.
  std::cerr << "convprobe: MIOpen (" << to_string(mode) << ") picked " << pick.offered.front() << std::endl;
  return pick;
}

}  // namespace convprobe::miopen
