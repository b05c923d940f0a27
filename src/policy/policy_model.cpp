#include "policy/policy_model.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>

namespace convprobe {

const BlockedCandidate* Policy::find_blocked(const std::string& candidate_id) const {
  for (const auto& b : blocked) {
    if (b.candidate.id == candidate_id) return &b;
  }
  return nullptr;
}

namespace {

struct FailureRecord {
  Candidate candidate;
  std::vector<Evidence> evidence;
};

/// The latest timed PASS of one candidate on one problem (highest trial id wins: a re-run supersedes).
struct TimedPass {
  int64_t trial_id = -1;
  int64_t run_id = 0;
  double median_ms = 0;
  bool yardstick = true;  ///< may be the --block-slower yardstick (PolicyOptions::yardstick)
};

bool usable_time(const TrialResult& r) {
  return r.verdict == Verdict::pass && r.time && std::isfinite(r.time->median_ms) && r.time->median_ms > 0;
}

std::string failure_reason(const std::vector<Evidence>& evidence) {
  // "HANG on 5 problems, FAILED on 1 problem": distinct problems per verdict, most frequent first.
  std::map<Verdict, std::set<std::string>> problems_by_verdict;
  for (const auto& e : evidence) problems_by_verdict[e.verdict].insert(e.problem);
  std::vector<std::pair<Verdict, size_t>> counts;
  counts.reserve(problems_by_verdict.size());
  for (const auto& [v, problems] : problems_by_verdict) counts.emplace_back(v, problems.size());
  std::stable_sort(counts.begin(), counts.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [v, n] : counts) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} on {} problem{}", to_string(v), n, n == 1 ? "" : "s");
  }
  return out;
}

void sort_evidence(std::vector<Evidence>* evidence) {
  std::sort(evidence->begin(), evidence->end(), [](const Evidence& a, const Evidence& b) {
    return std::tie(a.problem, a.run_id, a.detail) < std::tie(b.problem, b.run_id, b.detail);
  });
}

/// What the trials of one backend say, before any decision.
struct Observations {
  std::map<std::string, FailureRecord> failures;  ///< candidate -> its failing trials
  std::map<std::string, Candidate> seen;
  std::map<std::string, std::map<std::string, TimedPass>> timed;  ///< problem -> candidate -> latest pass
  std::set<int64_t> runs;
};

Observations observe(const std::string& backend, const std::vector<StoredTrial>& trials,
                     const PolicyOptions& options) {
  Observations o;
  for (const auto& t : trials) {
    if (t.backend != backend) continue;
    o.runs.insert(t.run_id);
    o.seen.emplace(t.candidate.id, t.candidate);
    if (is_failure(t.result.verdict)) {
      auto& rec = o.failures[t.candidate.id];
      rec.candidate = t.candidate;
      rec.evidence.push_back(Evidence{t.problem, t.result.verdict, t.result.detail, t.run_id});
    } else if (usable_time(t.result)) {
      auto& slot = o.timed[t.problem][t.candidate.id];
      if (t.id > slot.trial_id)
        slot =
            TimedPass{t.id, t.run_id, t.result.time->median_ms, !options.yardstick || options.yardstick(t)};
    }
  }
  return o;
}

using Best = std::map<std::string, std::pair<std::string, double>>;  // problem -> (candidate, median)

/// The fastest candidate per problem among those not blocked for a failure: the yardstick for --block-slower
/// and the preferred candidate. A blocked-for-failure winner must not make a usable runner-up look slow.
Best best_per_problem(const Observations& o) {
  Best best;
  for (const auto& [problem, by_candidate] : o.timed) {
    for (const auto& [id, pass] : by_candidate) {
      if (o.failures.count(id) || !pass.yardstick) continue;
      auto it = best.find(problem);
      if (it == best.end() || pass.median_ms < it->second.second ||
          (pass.median_ms == it->second.second && id < it->second.first)) {
        best[problem] = {id, pass.median_ms};
      }
    }
  }
  return best;
}

/// --block-slower: candidates slower than the factor on every problem where they passed, with one piece of
/// evidence per problem.
std::vector<BlockedCandidate> block_slow(const Observations& o, const Best& best, double factor) {
  std::map<std::string, std::vector<Evidence>> slow_evidence;
  std::set<std::string> fast_somewhere;
  for (const auto& [problem, by_candidate] : o.timed) {
    const auto it = best.find(problem);
    if (it == best.end()) {
      // No yardstick here: nothing is known to be faster on this problem, so nothing that passed is slow.
      for (const auto& [id, pass] : by_candidate) fast_somewhere.insert(id);
      continue;
    }
    const double best_ms = it->second.second;
    for (const auto& [id, pass] : by_candidate) {
      if (o.failures.count(id)) continue;
      const double ratio = pass.median_ms / best_ms;
      if (ratio > factor) {
        slow_evidence[id].push_back(Evidence{problem, Verdict::pass,
                                             fmt::format("median {:.4g} ms = {:.3g}x the best {:.4g} ms ({})",
                                                         pass.median_ms, ratio, best_ms, it->second.first),
                                             pass.run_id});
      } else {
        fast_somewhere.insert(id);
      }
    }
  }
  std::vector<BlockedCandidate> out;
  for (auto& [id, evidence] : slow_evidence) {
    if (fast_somewhere.count(id)) continue;  // within the factor (or the winner) on some problem: keep it
    sort_evidence(&evidence);
    const size_t n = evidence.size();
    out.push_back(BlockedCandidate{
        o.seen.at(id),
        fmt::format("slower than {:g}x the best passing candidate on all {} problem{} where it passed",
                    factor, n, n == 1 ? "" : "s"),
        true, evidence});
  }
  return out;
}

}  // namespace

std::map<std::string, Candidate> passing_candidates(const std::string& backend,
                                                    const std::vector<StoredTrial>& trials) {
  std::map<std::string, Candidate> out;
  for (const auto& t : trials) {
    if (t.backend == backend && t.result.verdict == Verdict::pass) out.emplace(t.candidate.id, t.candidate);
  }
  return out;
}

Policy derive_policy(const std::string& backend, const std::vector<StoredTrial>& trials,
                     const PolicyOptions& options) {
  Policy policy;
  policy.backend = backend;
  Observations o = observe(backend, trials, options);
  policy.runs.assign(o.runs.begin(), o.runs.end());
  for (auto& [id, rec] : o.failures) {
    sort_evidence(&rec.evidence);
    policy.blocked.push_back(
        BlockedCandidate{rec.candidate, failure_reason(rec.evidence), false, rec.evidence});
  }
  const Best best = best_per_problem(o);
  std::set<std::string> slow_blocked;
  if (options.block_slower > 0) {
    for (auto& b : block_slow(o, best, options.block_slower)) {
      slow_blocked.insert(b.candidate.id);
      policy.blocked.push_back(std::move(b));
    }
  }
  std::sort(
      policy.blocked.begin(), policy.blocked.end(),
      [](const BlockedCandidate& a, const BlockedCandidate& b) { return a.candidate.id < b.candidate.id; });

  for (const auto& [problem, winner] : best) {
    if (slow_blocked.count(winner.first))
      continue;  // cannot happen (winners are never slow); kept for safety
    policy.preferred.push_back(Preferred{problem, winner.first, winner.second});
  }
  return policy;
}

}  // namespace convprobe
