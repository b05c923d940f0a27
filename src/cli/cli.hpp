// The command-line front end: one file per subcommand (cmd_<name>.cpp), each registering itself on the app
// and reading as options -> job (src/jobs/) -> printers (src/report/, or the job's own output).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "jobs/usage_error.hpp"

namespace convprobe::cli {

/// Exit codes (documented in --help): 0 ok, 1 runtime failure (or a check that did not pass), 2 bad
/// usage/input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

/// Bad usage or input: printed as "convprobe: error: <message>", exit 2 (jobs/usage_error.hpp: the jobs find
/// most of it).
using UsageError = convprobe::UsageError;

/// --db of the commands that store trials (sweep, run, bisect): store/results_db.hpp's writing rule.
inline constexpr const char* kDbWriteHelp =
    "Results database (SQLite), created if missing; its directory must exist. Default: $CONVPROBE_DB, else "
    "$XDG_DATA_HOME/convprobe/results.db, else ~/.local/share/convprobe/results.db (convprobe creates that "
    "folder)";
/// --db of the commands that only read it (results, policy, verify): store/results_db.hpp's reading rule.
inline constexpr const char* kDbReadHelp =
    "Results database to read; never created or changed. Default: $CONVPROBE_DB, else "
    "$XDG_DATA_HOME/convprobe/results.db, else ~/.local/share/convprobe/results.db. Missing: exit 2";
/// The exit codes of a reading command (the end of its --help).
inline constexpr const char* kDbReadExitCodes =
    "Exit codes: 0 ok; 1 runtime failure (e.g. a locked, corrupt or foreign database); 2 bad usage or input, "
    "including a results database that does not exist (\"no results database at PATH ...\").";

struct CliState {
  int exit_code = kExitOk;
  std::string command_line;  ///< the whole argv, shell-quoted (recorded in run fingerprints)
};

void add_devices_command(CLI::App& app, CliState& state);
void add_presets_command(CLI::App& app, CliState& state);
void add_candidates_command(CLI::App& app, CliState& state);
void add_run_command(CLI::App& app, CliState& state);
void add_sweep_command(CLI::App& app, CliState& state);
void add_worker_command(CLI::App& app, CliState& state);
void add_selftest_command(CLI::App& app, CliState& state);
void add_results_command(CLI::App& app, CliState& state);
void add_bisect_command(CLI::App& app, CliState& state);
void add_policy_command(CLI::App& app, CliState& state);
void add_verify_command(CLI::App& app, CliState& state);
void add_capture_command(CLI::App& app, CliState& state);
void add_import_command(CLI::App& app, CliState& state);
void add_compare_command(CLI::App& app, CliState& state);

/// Run the CLI (main() and the CLI tests call this).
int run_cli(int argc, char** argv);

}  // namespace convprobe::cli
