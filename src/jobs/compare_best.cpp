#include "jobs/compare_best.hpp"

#include <map>
#include <set>
#include <tuple>

#include "jobs/compare_stats.hpp"
#include "jobs/compare_timing.hpp"
#include "policy/fastest_pass.hpp"

namespace convprobe {

namespace {

using ProblemKey = std::pair<std::string, std::string>;  // problem, backend

struct ProblemBest {
  const StoredTrial* fastest = nullptr;  ///< the best candidate's trial; null: no timed PASS
  bool any_pass = false;                 ///< some candidate passed, timed or not
};

std::map<ProblemKey, ProblemBest> best_per_problem(const std::vector<StoredTrial>& trials) {
  std::map<std::tuple<std::string, std::string, std::string>, const StoredTrial*> by_key;
  std::set<std::string> backends;
  std::map<ProblemKey, ProblemBest> out;
  for (const auto& t : trials) {
    by_key[{t.problem, t.backend, t.candidate.id}] = &t;
    backends.insert(t.backend);
    ProblemBest& best = out[{t.problem, t.backend}];
    best.any_pass = best.any_pass || t.result.verdict == Verdict::pass;
  }
  for (const auto& backend : backends) {
    for (const auto& passes : rank_passing_candidates(backend, trials)) {
      if (passes.ranked.empty()) continue;
      out[{passes.problem, backend}].fastest =
          by_key.at({passes.problem, backend, passes.ranked.front().candidate.id});
    }
  }
  return out;
}

BestChange best_change(const ProblemKey& problem, const ProblemBest& a, const ProblemBest& b,
                       const CompareSettings& settings) {
  BestChange c;
  c.problem = problem.first;
  c.backend = problem.second;
  c.pass_a = a.any_pass;
  c.pass_b = b.any_pass;
  if (a.fastest != nullptr) c.candidate_a = a.fastest->candidate.id, c.label = a.fastest->problem_label;
  if (b.fastest != nullptr) c.candidate_b = b.fastest->candidate.id, c.label = b.fastest->problem_label;
  if (a.fastest != nullptr && b.fastest != nullptr)
    c.time = compare_times(a.fastest->result, b.fastest->result, settings);
  c.regression = (a.any_pass && !b.any_pass) || (c.time && c.time->speed == Speed::slower);
  return c;
}

using Group = std::tuple<std::string, std::string, std::string>;  // backend, data type, direction

/// The group of a problem key; "?" for a key that does not parse.
Group group_of(const std::string& problem_key, const std::string& backend) {
  Problem p;
  std::string err;
  if (!parse_problem(problem_key, &p, &err)) return {backend, "?", "?"};
  return {backend, std::string(to_string(p.type)), std::string(to_string(p.dir))};
}

}  // namespace

std::vector<BestChange> compare_best(const std::vector<StoredTrial>& a, const std::vector<StoredTrial>& b,
                                     const CompareSettings& settings) {
  const auto best_a = best_per_problem(a), best_b = best_per_problem(b);
  std::vector<BestChange> out;
  for (const auto& [problem, pa] : best_a) {
    const auto pb = best_b.find(problem);
    if (pb != best_b.end()) out.push_back(best_change(problem, pa, pb->second, settings));
  }
  return out;
}

std::vector<GeomeanRow> geomeans(const std::vector<PairTiming>& pairs, const std::vector<BestChange>& best) {
  std::map<Group, std::pair<std::vector<double>, std::vector<double>>> ratios;  // pairs', best ones'
  for (const auto& p : pairs) ratios[group_of(p.problem, p.backend)].first.push_back(p.time.ratio);
  for (const auto& b : best) {
    if (b.time) ratios[group_of(b.problem, b.backend)].second.push_back(b.time->ratio);
  }
  std::vector<GeomeanRow> out;
  for (const auto& [group, r] : ratios) {
    const auto& [backend, data_type, direction] = group;
    out.push_back(GeomeanRow{backend, data_type, direction, r.first.size(), geometric_mean(r.first),
                             r.second.size(), geometric_mean(r.second)});
  }
  return out;
}

}  // namespace convprobe
