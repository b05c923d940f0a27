#include "exec/problem_groups.hpp"

#include <fmt/core.h>

#include <cmath>
#include <unordered_map>

namespace convprobe {

std::vector<ProblemGroup> group_by_problem(const std::vector<TrialRequest>& requests) {
  std::vector<ProblemGroup> groups;
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < requests.size(); ++i) {
    std::string k = key(requests[i].problem);
    auto [it, inserted] = index.emplace(k, groups.size());
    if (inserted) groups.push_back(ProblemGroup{std::move(k), {}});
    groups[it->second].requests.push_back(i);
  }
  return groups;
}

void BestTimes::record(const std::string& problem_key, const TrialResult& result) {
  if (result.verdict != Verdict::pass || !result.time) return;
  const double median = result.time->median_ms;
  if (!(median > 0) || !std::isfinite(median)) return;
  auto [it, inserted] = best_.emplace(problem_key, median);
  if (!inserted && median < it->second) it->second = median;
}

double BestTimes::get(const std::string& problem_key) const {
  auto it = best_.find(problem_key);
  return it == best_.end() ? 0 : it->second;
}

void reject_impossible_timing(TrialResult* result) {
  if (result->verdict != Verdict::pass || !result->time) return;
  const double median = result->time->median_ms;
  if (median > 0 && std::isfinite(median)) return;
  result->verdict = Verdict::failed;
  result->phase = Phase::time;
  result->detail = fmt::format("impossible timing: median {} ms (must be > 0 and finite)", median);
}

}  // namespace convprobe
