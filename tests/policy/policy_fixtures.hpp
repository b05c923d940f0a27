// Stored trials for policy tests: small, fixed lists that read like a results database.
#pragma once

#include <string>
#include <vector>

#include "store/store.hpp"

namespace convprobe::test {

struct TrialSpec {
  TrialSpec(std::string problem_, std::string candidate_, std::string family_, Verdict verdict_,
            double median_ms_ = 0, std::string detail_ = {}, std::map<std::string, std::string> attrs_ = {})
      : problem(std::move(problem_)),
        candidate(std::move(candidate_)),
        family(std::move(family_)),
        verdict(verdict_),
        median_ms(median_ms_),
        detail(std::move(detail_)),
        attrs(std::move(attrs_)) {}
  std::string problem;
  std::string candidate;
  std::string family;
  Verdict verdict;
  double median_ms;  ///< PASS only; 0 = no timing
  std::string detail;
  std::map<std::string, std::string> attrs;
};

inline std::vector<StoredTrial> make_trials(const std::string& backend, const std::vector<TrialSpec>& specs,
                                            int64_t run_id = 1) {
  std::vector<StoredTrial> out;
  int64_t id = 1;
  for (const auto& s : specs) {
    StoredTrial t;
    t.id = id++;
    t.run_id = run_id;
    t.problem = s.problem;
    t.backend = backend;
    t.candidate.id = s.candidate;
    t.candidate.family = s.family;
    t.candidate.attrs = s.attrs;
    t.result.verdict = s.verdict;
    t.result.detail = s.detail;
    if (s.median_ms > 0) t.result.time = Timing{s.median_ms, s.median_ms, s.median_ms, 10};
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace convprobe::test
