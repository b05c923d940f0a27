// Options and the plan loop shared by the commands that run trials (run, sweep; verify and bisect reuse the
// loop): resolve problems, enumerate candidates, filter them, skip stored ones (--resume), run them through
// an Executor, commit each result to the store as it finishes, show progress, and report.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "exec/executor.hpp"
#include "report/trial_report.hpp"

namespace convprobe::cli {

struct TrialCliOptions {
  std::string backend;
  std::string candidate_patterns;
  std::string json_path;  ///< empty: none; "-": stdout
  std::string db_path;    ///< empty: default_db_path()
  bool no_db = false;
  bool resume = false;
  bool in_process = false;
  bool quiet = false;
  double timeout_ms = 600000;  ///< watchdog cap
  double timeout_floor_ms = 2000;
  int retries = 0;
  std::string devices = "0";  ///< "all" or a comma-separated list
  std::string policy_path;
  TrialOptions trial;
};

/// Register the shared options on a subcommand.
void add_trial_options(CLI::App* cmd, TrialCliOptions* o, bool backend_required = true);
/// Check option values (UsageError naming the option and value) and normalise them.
void validate_trial_options(const TrialCliOptions& o);
/// The flags of every backend-only option the known backends declare (--math, --knob-samples): each value
/// goes into o->backend_options; validate_trial_options checks it.
void add_backend_option_flags(CLI::App* cmd, TrialOptions* o);
/// --repeats, --warmup, --max-time-ms (sweep, run, bisect, verify time candidates alike).
void add_timing_options(CLI::App* cmd, TrialOptions* o);

/// Executor options from CLI options; resolves "--devices all" with the backend's device count.
[[nodiscard]] ExecutorOptions executor_options(const TrialCliOptions& o);
[[nodiscard]] std::vector<int> parse_device_list(const std::string& text);

struct SweepOutcome {
  std::vector<ReportedTrial> trials;       ///< in completion order
  std::vector<std::string> problem_order;  ///< problem keys in plan order (the table follows it)
  std::vector<std::string> errors;         ///< per-problem enumeration failures
  int64_t run_id = -1;
  std::string db_path;        ///< where the trials were stored (empty: --no-db)
  size_t skipped_stored = 0;  ///< --resume: trials already in the store
  nlohmann::json run_json;    ///< the fingerprint, for the JSON document
  double wall_s = 0;          ///< the whole plan, candidate listing included
  double startup_s = 0;       ///< until the backend answered (a worker started, plugin loaded)
  double listing_s = 0;       ///< until every problem's candidates were listed (startup included)
};

/// Where a sweep's time went: its wall time against its candidates' own kernel time (median x launches,
/// summed over timed trials). `kernel_s` < 0 when some timed trial did not count its launches.
struct TimeAccount {
  double wall_s = 0, startup_s = 0, listing_s = 0, kernel_s = 0;  ///< listing_s: after startup
  size_t timed = 0;
};
[[nodiscard]] TimeAccount account_time(const SweepOutcome& outcome);
/// "wall 12.3 s (backend start 0.4 s, listing candidates 1.2 s); candidates' kernel time 8.0 s (median x
/// launches over 120 timed trials): wall/kernel 1.54".
[[nodiscard]] std::string time_account_text(const TimeAccount& a);
[[nodiscard]] nlohmann::json time_account_json(const TimeAccount& a);

/// Run every candidate of every problem. Throws std::runtime_error if the backend is unavailable.
SweepOutcome run_plan(const std::vector<Problem>& problems, const TrialCliOptions& o, const CliState& state);

/// Print the table (unless JSON goes to stdout) and write the JSON document; returns the exit code.
int report_outcome(const SweepOutcome& outcome, const TrialCliOptions& o);

/// Problems from --preset NAME (with --batch), --problems FILE, or positional descriptors. UsageError on bad
/// input, naming the source (FILE:LINE, preset name).
[[nodiscard]] std::vector<Problem> resolve_problems(const std::string& preset, int64_t batch,
                                                    const std::string& problems_file,
                                                    const std::vector<std::string>& descriptors);

}  // namespace convprobe::cli
