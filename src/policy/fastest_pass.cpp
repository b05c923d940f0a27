#include "policy/fastest_pass.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "base/text.hpp"

namespace convprobe {

namespace {

/// One candidate's trials on one problem.
struct Tally {
  Candidate candidate;
  std::vector<double> medians;
  int64_t workspace = 0;
  size_t trials = 0;
  std::string spoiler;  ///< the first verdict that is not a timed PASS, e.g. "HANG"
};

bool timed_pass(const TrialResult& r) {
  return r.verdict == Verdict::pass && r.time && std::isfinite(r.time->median_ms) && r.time->median_ms > 0;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// "no candidate passed every trial: A HANG, B FAILED, ... (5 in all)".
std::string none_reason(const std::map<std::string, Tally>& by_candidate) {
  std::vector<std::string> spoiled;
  spoiled.reserve(by_candidate.size());
  for (const auto& [id, t] : by_candidate) spoiled.push_back(fmt::format("{} {}", id, t.spoiler));
  return "no candidate passed every trial: " + join_for_message(spoiled, 4);
}

ProblemPasses rank_problem(const std::string& problem, const std::map<std::string, Tally>& by_candidate) {
  ProblemPasses out;
  out.problem = problem;
  for (const auto& [id, t] : by_candidate) {
    if (!t.spoiler.empty()) continue;
    out.ranked.push_back(PassingCandidate{t.candidate, median(t.medians), t.workspace, t.trials});
  }
  std::sort(out.ranked.begin(), out.ranked.end(), [](const PassingCandidate& a, const PassingCandidate& b) {
    return a.median_ms != b.median_ms ? a.median_ms < b.median_ms : a.candidate.id < b.candidate.id;
  });
  if (out.ranked.empty()) out.none_reason = none_reason(by_candidate);
  return out;
}

}  // namespace

std::vector<ProblemPasses> rank_passing_candidates(const std::string& backend,
                                                   const std::vector<StoredTrial>& trials) {
  std::map<std::string, std::map<std::string, Tally>> tallies;  // problem -> candidate -> its trials
  std::map<std::string, std::string> labels;
  for (const auto& t : trials) {
    if (t.backend != backend) continue;
    if (!t.problem_label.empty()) labels[t.problem].assign(t.problem_label);
    Tally& tally = tallies[t.problem][t.candidate.id];
    tally.candidate = t.candidate;
    ++tally.trials;
    if (!timed_pass(t.result)) {
      if (tally.spoiler.empty()) {
        tally.spoiler = t.result.verdict == Verdict::pass ? "PASS without a time"
                                                          : std::string(to_string(t.result.verdict));
      }
      continue;
    }
    tally.medians.push_back(t.result.time->median_ms);
    tally.workspace = std::max(tally.workspace, t.result.workspace_bytes);
  }
  std::vector<ProblemPasses> out;
  for (const auto& [problem, by_candidate] : tallies) {
    out.push_back(rank_problem(problem, by_candidate));
    if (auto it = labels.find(problem); it != labels.end()) out.back().label = it->second;
  }
  return out;
}

}  // namespace convprobe
