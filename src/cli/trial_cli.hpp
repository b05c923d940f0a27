// Options shared by the commands that run trials (run, sweep; bisect and verify reuse the timing options and
// the checks), the problems a command names, and the one road of run and sweep: options -> the sweep job
// (jobs/sweep.hpp) -> the report printers (report/printer_formats.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "jobs/session.hpp"
#include "report/printer_formats.hpp"

namespace convprobe::cli {

struct TrialCliOptions {
  std::string backend;
  std::string candidate_patterns;
  ReportTargets outputs;  ///< --json FILE|- (one option per format of report/printer_formats.hpp)
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
/// `--<format> FILE` for every report format; `help` words an option differently for one command.
void add_report_options(CLI::App* cmd, ReportTargets* targets,
                        const std::map<std::string, std::string>& help = {});
/// At most one format may go to stdout ('-'): UsageError naming them otherwise.
void validate_report_targets(const ReportTargets& targets);
/// Check option values (UsageError naming the option and value) and normalise them.
void validate_trial_options(const TrialCliOptions& o);
/// The flags of every backend-only option the known backends declare (--math, --knob-samples): each value
/// goes into o->backend_options; validate_trial_options checks it.
void add_backend_option_flags(CLI::App* cmd, TrialOptions* o);
/// --repeats, --warmup, --max-time-ms (sweep, run, bisect, verify time candidates alike).
void add_timing_options(CLI::App* cmd, TrialOptions* o);

/// The session a command's options ask for ("--devices all" is resolved by the session).
[[nodiscard]] SessionOptions session_options(const TrialCliOptions& o, const CliState& state);
[[nodiscard]] std::vector<int> parse_device_list(const std::string& text);

/// Problems from --model FILE... (imported on the fly: jobs/model_import.hpp), `batch` > 0 setting every
/// problem's batch (a symbolic batch dimension's value too).
[[nodiscard]] std::vector<Problem> model_problems(const std::vector<std::string>& models, int64_t batch);
/// `problems` with batch `batch`: problems that then become the same are one, their runs added up.
[[nodiscard]] std::vector<Problem> with_batch(std::vector<Problem> problems, int64_t batch);

/// Problems from --preset NAME (with --batch), --problems FILE, or positional descriptors. UsageError on bad
/// input, naming the source (FILE:LINE, preset name).
[[nodiscard]] std::vector<Problem> resolve_problems(const std::string& preset, int64_t batch,
                                                    const std::string& problems_file,
                                                    const std::vector<std::string>& descriptors);

/// run and sweep: every selected candidate on every problem, shown by the report printers; the exit code
/// (1 when some problem's candidates could not be listed).
[[nodiscard]] int run_sweep_command(const std::vector<Problem>& problems, const TrialCliOptions& o,
                                    const CliState& state);

}  // namespace convprobe::cli
