// What `convprobe compare A B` found between two runs (docs/compare.md): the jobs fill it
// (jobs/compare*.cpp), the printers show it (report/compare_*.cpp). Plain data: every judgement (which change
// is a regression, which time differs) is made by the jobs and only shown here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "convprobe/trial.hpp"
#include "store/store.hpp"

namespace convprobe {

/// One side of the comparison: a run of a database.
struct ComparedRun {
  std::string operand;  ///< as given on the command line ("before.db", "3", "after.db:2")
  std::string db_path;
  StoredRun run;
  size_t trials = 0;  ///< trials stored in the run
};

/// What happened to a (problem, backend, candidate) whose verdict is not the same in A and B. Verdicts fall
/// in three classes: PASS; not offered (UNSUPPORTED, SKIPPED, or no trial at all); broken (the others).
enum class ChangeKind {
  worse,        ///< PASS or not offered -> broken: a regression
  better,       ///< broken -> PASS or not offered
  changed,      ///< within a class (CRASH -> HANG, UNSUPPORTED -> SKIPPED): still as usable as before
  withdrawn,    ///< PASS -> UNSUPPORTED or SKIPPED
  offered,      ///< UNSUPPORTED or SKIPPED -> PASS
  appeared,     ///< only in B (a regression when its verdict is broken)
  disappeared,  ///< only in A
};
[[nodiscard]] std::string_view to_string(ChangeKind kind);  ///< "WORSE", "BETTER", ...

struct CandidateChange {
  std::string problem;  ///< key
  std::string label;
  std::string backend;
  std::string candidate;
  std::optional<Verdict> a, b;  ///< nullopt: no trial on that side
  std::string detail_a, detail_b;
  std::string repro;  ///< B's trial's (A's when only A has one)
  ChangeKind kind = ChangeKind::changed;
  bool regression = false;
};

enum class Speed { same, faster, slower };
[[nodiscard]] std::string_view to_string(Speed speed);  ///< "SAME", "FASTER", "SLOWER"

/// How a time difference was judged.
enum class SpeedTest {
  mann_whitney,     ///< the samples were tested: a change beyond the threshold counts when p < alpha
  no_samples,       ///< a side has no stored samples (a database older than schema 4): the ratio alone
  too_few_samples,  ///< too few samples for the test ever to reach alpha: the ratio alone
};
[[nodiscard]] std::string_view to_string(SpeedTest test);  ///< "mann-whitney", "ratio only: no samples", ...

/// B's time against A's.
struct TimeChange {
  double median_a_ms = 0;
  double median_b_ms = 0;
  double ratio = 1;  ///< median B / median A
  SpeedTest test = SpeedTest::mann_whitney;
  double p = 1;  ///< the test's two-sided p (1 when the ratio alone decided)
  size_t samples_a = 0, samples_b = 0;
  Speed speed = Speed::same;
};

/// A candidate that passed and was timed in both runs.
struct PairTiming {
  std::string problem, label, backend, candidate;
  TimeChange time;
};

/// The best candidate of a problem (the fastest PASS) in each run.
struct BestChange {
  std::string problem, label, backend;
  std::string candidate_a, candidate_b;  ///< empty: no timed PASS in that run
  bool pass_a = false, pass_b = false;   ///< some candidate passed (timed or not) in that run
  std::optional<TimeChange> time;        ///< B's best against A's, when both have one
  bool regression = false;               ///< B's best is SLOWER, or A had a PASS and B has none
};

/// Geometric means of B / A over one (backend, data type, direction).
struct GeomeanRow {
  std::string backend, data_type, direction;
  size_t pairs = 0;
  double pair_geomean = 0;  ///< over every timed pair
  size_t problems = 0;
  double best_geomean = 0;  ///< over the problems' best candidates
};

struct FingerprintChange {
  std::string field;  ///< "backend_version", "driver", "env.MIOPEN_DEBUG_CONV_GEMM", ...
  std::string a, b;   ///< "(unset)" for a variable one side does not have
};

struct CompareSettings {
  double threshold = 0.05;  ///< relative change below which times are the SAME (--threshold 5%)
  double alpha = 0.05;      ///< significance level of the test
};

struct Comparison {
  ComparedRun a, b;
  CompareSettings settings;
  std::vector<FingerprintChange> fingerprint;
  std::vector<CandidateChange> changes;  ///< regressions first, then as in docs/compare.md
  std::vector<BestChange> best;          ///< one per problem of both runs
  std::vector<PairTiming> timing;        ///< one per pair timed on both sides
  std::vector<GeomeanRow> geomeans;
  std::vector<std::string> problems_only_a, problems_only_b;
  size_t matched = 0;  ///< (problem, backend, candidate) with a trial on both sides

  /// Regressions: worse verdicts, broken appearances, best candidates slower or lost.
  [[nodiscard]] size_t regressions() const;
};

}  // namespace convprobe
