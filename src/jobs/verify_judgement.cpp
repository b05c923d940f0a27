#include "jobs/verify_judgement.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace convprobe {

VerifiedProblem judge_problem(const std::string& problem, const std::map<std::string, Verdict>& before,
                              const std::vector<VerifiedCandidate>& after,
                              const std::set<std::string>& blocked_ids) {
  VerifiedProblem out;
  out.problem = problem;
  out.candidates = after;
  for (const auto& [id, v] : before) {
    if (v == Verdict::pass) ++out.before_pass;
    const bool still_there =
        std::any_of(after.begin(), after.end(), [&](const VerifiedCandidate& c) { return c.id == id; });
    if (!still_there) out.removed.push_back(id);
  }
  for (const auto& c : after) {
    const Verdict v = c.after.verdict;
    if (v == Verdict::pass) ++out.after_pass;
    const bool blocked = blocked_ids.count(c.id) > 0;
    const bool failed_before = c.before && is_failure(*c.before);
    if (is_failure(v)) {
      out.issues.push_back(fmt::format("{} {}: {} {}",
                                       failed_before || blocked ? "still failing" : "new failure", c.id,
                                       to_string(v), c.after.detail));
    } else if (blocked || failed_before) {
      out.notes.push_back(fmt::format("{} was not removed by the policy (now {})", c.id, to_string(v)));
    }
  }
  if (after.empty() && !before.empty())
    out.notes.push_back("no candidate left to run: the policy removed every one");
  if (out.before_pass > 0 && out.after_pass == 0) {
    out.issues.push_back(fmt::format("lost all passing candidates ({} passed before)", out.before_pass));
  }
  return out;
}

std::map<std::string, std::map<std::string, Verdict>> latest_verdicts(
    const std::string& backend, const std::vector<StoredTrial>& trials) {
  std::map<std::string, std::map<std::string, std::pair<int64_t, Verdict>>> latest;
  for (const auto& t : trials) {
    if (t.backend != backend) continue;
    auto& slot = latest[t.problem][t.candidate.id];
    if (t.id >= slot.first) slot = {t.id, t.result.verdict};
  }
  std::map<std::string, std::map<std::string, Verdict>> out;
  for (const auto& [problem, by_candidate] : latest) {
    for (const auto& [id, v] : by_candidate) out[problem][id] = v.second;
  }
  return out;
}

std::vector<std::string> problems_behind(const PolicySource& source, const std::string& backend,
                                         const std::vector<StoredTrial>& trials) {
  std::set<std::string> problems;
  if (source.policy) {
    for (const auto& b : source.policy->blocked) {
      for (const auto& e : b.evidence) problems.insert(e.problem);
    }
    for (const auto& p : source.policy->preferred) problems.insert(p.problem);
  }
  // A policy that acts on every shape (an errata file) may block configs that are only slow: every stored
  // problem of the backend is behind it, not only those with a failure.
  if (problems.empty() && !source.every_shape) {
    for (const auto& t : trials) {
      if (t.backend == backend && is_failure(t.result.verdict)) problems.insert(t.problem);
    }
  }
  if (problems.empty()) {
    for (const auto& t : trials) {
      if (t.backend == backend) problems.insert(t.problem);
    }
  }
  return {problems.begin(), problems.end()};
}

}  // namespace convprobe
