// What both executors share about a list of trial requests: the requests grouped by problem (the reference
// is computed once per problem, so a problem's candidates run back to back in one worker), the fastest PASS
// per problem (passed to the backend as TrialOptions::best_so_far_ms), and the last check on every result.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "exec/executor.hpp"

namespace convprobe {

struct ProblemGroup {
  std::string key;               ///< key(problem)
  std::vector<size_t> requests;  ///< indices into the request list, in request order
};

/// Groups in order of first appearance; within a group, request order.
[[nodiscard]] std::vector<ProblemGroup> group_by_problem(const std::vector<TrialRequest>& requests);

/// Fastest PASS median per problem key.
class BestTimes {
 public:
  void record(const std::string& problem_key, const TrialResult& result);
  /// The best median so far, or 0 when none.
  [[nodiscard]] double get(const std::string& problem_key) const;

 private:
  std::map<std::string, double> best_;
};

/// An impossible timing (median <= 0 or not finite) on an otherwise passing trial becomes FAILED. Backends
/// and the CPU runner already check; this is the last line, because a stored PASS with a 0 ms median would
/// rank first in every report.
void reject_impossible_timing(TrialResult* result);

}  // namespace convprobe
