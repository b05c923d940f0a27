// The policy: which candidates of one backend to block (with the stored trials that justify each decision)
// and which to prefer per problem. Derived from stored verdicts only; every emitter (convprobe JSON, MIOpen
// env profile, cuDNN errata, oneDNN ISA cap) reads this one model, so the decisions are made in one place.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace convprobe {

/// One stored trial cited for a decision.
struct Evidence {
  std::string problem;  ///< canonical problem key
  Verdict verdict = Verdict::untested;
  std::string detail;
  int64_t run_id = 0;
};

struct BlockedCandidate {
  Candidate candidate;
  /// One line for people: "HANG on 5 problems", "slower than 1.2x the best on all 4 problems where it
  /// passed".
  std::string reason;
  bool slow = false;  ///< blocked by --block-slower, not by a failure
  std::vector<Evidence> evidence;
};

struct Preferred {
  std::string problem;
  std::string candidate;
  double median_ms = 0;
};

inline constexpr int kPolicySchemaVersion = 1;

struct Policy {
  int schema_version = kPolicySchemaVersion;
  std::string backend;
  std::string backend_version;  ///< of the runs the verdicts came from (e.g. "cuDNN 9.19.0"); may be empty
  std::vector<int64_t> runs;    ///< run ids the verdicts came from
  std::vector<BlockedCandidate> blocked;  ///< sorted by candidate id
  std::vector<Preferred> preferred;       ///< sorted by problem
  /// Environment the policy sets for workers (and frameworks). Names and values are validated on load.
  std::map<std::string, std::string> env;

  [[nodiscard]] const BlockedCandidate* find_blocked(const std::string& candidate_id) const;
};

struct PolicyOptions {
  /// > 0: also block candidates slower than this factor times the best surviving passing candidate on every
  /// problem where they passed. Must be >= 1 when set (a factor below 1 would block winners).
  double block_slower = 0;
  /// Which passing trials may be the --block-slower yardstick (empty: every one). A framework that can only
  /// be offered some candidates (PyTorch sees only cuDNN's heuristics configs) must be measured against the
  /// fastest of *those*: blocking its own pick for being slower than a config it can never get only makes it
  /// slower. On a problem with no such trial nothing is blocked for slowness.
  std::function<bool(const StoredTrial&)> yardstick;
};

/// Derive the policy of `backend` from its stored trials (trials of other backends are ignored).
/// Failures (HANG, CRASH, MISMATCH, OOM, FAILED, UNTESTED) anywhere block a candidate everywhere; UNSUPPORTED
/// and SKIPPED never block. --block-slower compares each problem's timings against the fastest passing
/// candidate that is not blocked for a failure, and never blocks a candidate that is that fastest anywhere.
[[nodiscard]] Policy derive_policy(const std::string& backend, const std::vector<StoredTrial>& trials,
                                   const PolicyOptions& options);

/// Candidates that passed on at least one problem (by id), from the same trials: emitters use it to avoid
/// switching off everything that works.
[[nodiscard]] std::map<std::string, Candidate> passing_candidates(const std::string& backend,
                                                                  const std::vector<StoredTrial>& trials);

}  // namespace convprobe
