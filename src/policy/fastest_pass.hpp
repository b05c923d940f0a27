// Which candidate a per-shape record names: per problem, the candidates whose every trial on that problem
// passed, fastest first. Failures on other problems do not count here, unlike in policy_model (which blocks a
// candidate everywhere): per-shape steering exists to keep a solver where it works (MIOpen's GEMM below the
// size where it hangs) and route around it only where it does not. `policy --emit miopen-finddb` takes the
// first its format can express; a step that lets MIOpen write the records can take the same ranking.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace convprobe {

struct PassingCandidate {
  Candidate candidate;
  double median_ms = 0;         ///< median of its trials' median times on the problem
  int64_t workspace_bytes = 0;  ///< the most any of its trials used
  size_t trials = 0;            ///< its trials on the problem (all PASS)
};

struct ProblemPasses {
  std::string problem;                   ///< canonical key
  std::string label;                     ///< of the problem, when a trial had one
  std::vector<PassingCandidate> ranked;  ///< fastest first; ties by candidate id
  /// When `ranked` is empty: why ("no candidate passed every trial: GemmFwdRest HANG, ...").
  std::string none_reason;
};

/// Every problem of `backend` in the trials (sorted by key), with its passing candidates ranked. A candidate
/// qualifies on a problem when all its trials there are PASS with a timing; one failing, UNSUPPORTED or
/// SKIPPED trial there, or a PASS without a time, leaves it out on that problem.
[[nodiscard]] std::vector<ProblemPasses> rank_passing_candidates(const std::string& backend,
                                                                 const std::vector<StoredTrial>& trials);

}  // namespace convprobe
