// The command-line front end: one file per subcommand (cmd_<name>.cpp), each registering itself on the app.
#pragma once

#include <CLI/CLI.hpp>
#include <stdexcept>
#include <string>

namespace convprobe::cli {

/// Exit codes (documented in --help): 0 ok, 1 runtime failure (or a check that did not pass), 2 bad
/// usage/input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

/// Bad usage or input: printed as "convprobe: error: <message>", exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

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

/// Run the CLI (main() and the CLI tests call this).
int run_cli(int argc, char** argv);

}  // namespace convprobe::cli
