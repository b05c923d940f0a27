#include "jobs/compare_match.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "jobs/compare_best.hpp"
#include "jobs/compare_timing.hpp"
#include "jobs/compare_verdicts.hpp"

namespace convprobe {

namespace {

using ProblemKey = std::pair<std::string, std::string>;              // problem, backend
using TrialKey = std::tuple<std::string, std::string, std::string>;  // problem, backend, candidate

/// One run's trials by key, the latest standing for its key.
struct RunIndex {
  std::map<TrialKey, const StoredTrial*> trials;
  std::set<ProblemKey> problems;
};

RunIndex index_run(const std::vector<StoredTrial>& trials) {
  RunIndex index;
  for (const auto& t : trials) {
    const StoredTrial*& slot = index.trials[{t.problem, t.backend, t.candidate.id}];
    if (slot == nullptr || slot->id < t.id) slot = &t;
    index.problems.insert({t.problem, t.backend});
  }
  return index;
}

std::vector<StoredTrial> latest(const RunIndex& index) {
  std::vector<StoredTrial> out;
  out.reserve(index.trials.size());
  for (const auto& [k, t] : index.trials) out.push_back(*t);
  return out;
}

std::vector<std::string> problems_missing_from(const RunIndex& from, const RunIndex& other) {
  std::vector<std::string> out;
  for (const auto& [problem, backend] : from.problems) {
    if (!other.problems.contains({problem, backend})) out.push_back(problem);
  }
  return out;
}

/// The change of one key whose verdicts differ (or that one side lacks); `a` or `b` may be null.
CandidateChange change_of(const StoredTrial* a, const StoredTrial* b) {
  const StoredTrial& any = b != nullptr ? *b : *a;
  CandidateChange c{any.problem, any.problem_label, any.backend, any.candidate.id, {}, {}, {}, {}, any.repro};
  if (a != nullptr) c.a = a->result.verdict, c.detail_a = a->result.detail;
  if (b != nullptr) c.b = b->result.verdict, c.detail_b = b->result.detail;
  const ChangeJudgement judged = judge_change(c.a, c.b);
  c.kind = judged.kind;
  c.regression = judged.regression;
  return c;
}

/// Regressions first, then by kind (worse, better, changed, withdrawn, offered, appeared, disappeared);
/// within those, the key order the map gave.
void order_changes(std::vector<CandidateChange>* changes) {
  std::stable_sort(changes->begin(), changes->end(), [](const CandidateChange& x, const CandidateChange& y) {
    return std::make_tuple(!x.regression, static_cast<int>(x.kind)) <
           std::make_tuple(!y.regression, static_cast<int>(y.kind));
  });
}

void compare_key(const StoredTrial* a, const StoredTrial* b, const CompareSettings& settings,
                 Comparison* out) {
  if (a != nullptr && b != nullptr) {
    ++out->matched;
    if (a->result.verdict != b->result.verdict) out->changes.push_back(change_of(a, b));
    if (auto time = compare_times(a->result, b->result, settings)) {
      out->timing.push_back(PairTiming{b->problem, b->problem_label, b->backend, b->candidate.id, *time});
    }
  } else {
    out->changes.push_back(change_of(a, b));
  }
}

}  // namespace

Comparison compare_trials(const std::vector<StoredTrial>& a, const std::vector<StoredTrial>& b,
                          const CompareSettings& settings) {
  const RunIndex ia = index_run(a), ib = index_run(b);
  Comparison out;
  out.settings = settings;
  out.problems_only_a = problems_missing_from(ia, ib);
  out.problems_only_b = problems_missing_from(ib, ia);
  std::set<TrialKey> keys;
  for (const auto& [k, t] : ia.trials) keys.insert(k);
  for (const auto& [k, t] : ib.trials) keys.insert(k);
  for (const auto& k : keys) {
    // A candidate of a problem only one run has is no appearance: the sweeps differed, not the library.
    const ProblemKey problem{std::get<0>(k), std::get<1>(k)};
    if (!ia.problems.contains(problem) || !ib.problems.contains(problem)) continue;
    const auto found_a = ia.trials.find(k), found_b = ib.trials.find(k);
    compare_key(found_a == ia.trials.end() ? nullptr : found_a->second,
                found_b == ib.trials.end() ? nullptr : found_b->second, settings, &out);
  }
  order_changes(&out.changes);
  out.best = compare_best(latest(ia), latest(ib), settings);
  out.geomeans = geomeans(out.timing, out.best);
  return out;
}

}  // namespace convprobe
