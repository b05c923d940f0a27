// `sweep` and `run`: every selected candidate of a backend on every problem, verified and timed, each trial
// committed to the results database as it finishes and handed to the printers. ninja's split: the command
// assembles options and printers (NinjaMain), the loop lives here (Builder).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "jobs/session.hpp"
#include "report/printer.hpp"

namespace convprobe {

struct SweepOptions {
  SessionOptions session;
  std::string candidate_patterns;  ///< --candidates: comma-separated globs (empty: every candidate)
  std::string policy_path;         ///< --policy: a convprobe policy file (empty: none)
  std::string db_path;             ///< --db (empty: the default database)
  bool no_db = false;              ///< store nothing
  bool resume = false;             ///< skip trials stored under the same fingerprint
  bool quiet = false;              ///< no progress lines
  TrialOptions trial;
};

struct SweepOutcome {
  std::vector<ReportedTrial> trials;       ///< in completion order
  std::vector<std::string> problem_order;  ///< problem keys in the order given (the table follows it)
  std::vector<std::string> errors;         ///< per-problem listing failures
  int64_t run_id = -1;
  std::string db_path;        ///< where the trials were stored (empty: --no-db)
  size_t skipped_stored = 0;  ///< --resume: trials already in the store
  double wall_s = 0;          ///< the whole sweep, candidate listing included
  double startup_s = 0;       ///< until the backend answered (a worker started, plugin loaded)
  double listing_s = 0;       ///< until every problem's candidates were listed (startup included)
  [[nodiscard]] bool ok() const { return errors.empty(); }
};

/// Runs the sweep, reporting to `printer` (begin once the run is known, each trial as it finishes, end with
/// the summary). Throws UsageError for a bad --policy or a selection that selects nothing (before anything
/// is stored), std::runtime_error when the backend is unavailable.
SweepOutcome run_sweep(const std::vector<Problem>& problems, const SweepOptions& options, Printer& printer);

}  // namespace convprobe
