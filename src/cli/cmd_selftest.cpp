// `convprobe selftest`: prove on this machine that every way a backend can fail becomes the right verdict
// (jobs/selftest.hpp); exit 0 only when everything matched.
#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "cli/cli.hpp"
#include "jobs/selftest_output.hpp"

namespace convprobe::cli {

namespace {

struct SelftestArgs {
  SelftestOptions job;
  std::string json_path;
};

void run_selftest_command(const SelftestArgs& a, int* exit_code) {
  check_selftest_options(a.job);
  const bool tty = isatty(STDERR_FILENO) != 0 && a.json_path != "-";
  const SelftestReport report = run_selftest(a.job, [tty](size_t done, size_t total) {
    if (tty) fmt::print(stderr, "\rselftest: {}/{} trials", done, total);
  });
  if (tty) fmt::print(stderr, "\r\033[K");
  if (a.json_path != "-") print_selftest(stdout, report);
  if (!a.json_path.empty()) write_selftest_document(a.json_path, selftest_document(report, a.job));
  *exit_code = report.all_match() ? kExitOk : kExitFailure;
}

}  // namespace

void add_selftest_command(CLI::App& app, CliState& state) {
  auto* cmd =
      app.add_subcommand("selftest",
                         "Check that hangs, crashes and bad results become the right verdicts on this "
                         "machine (run it first)");
  auto args = std::make_shared<SelftestArgs>();
  SelftestOptions& o = args->job;
  cmd->add_option("-b,--backend", o.backend, selftest_backends(true))
      ->default_val(default_selftest_backend());
  cmd->add_option("--timeout-ms", o.timeout_cap_ms, "Watchdog cap in ms")
      ->default_val(10000)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--timeout-floor-ms", o.timeout_floor_ms,
                  "Watchdog floor in ms (each injected hang costs about this)")
      ->default_val(300)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--candidates", o.candidate_patterns,
                  "Only candidates matching these globs (comma-separated)");
  cmd->add_option("--json", args->json_path, "Write the results as JSON to FILE ('-': stdout, no table)");
  cmd->footer(
      "Runs every fault candidate over the gfx1010-sizes problems under the real supervisor. Exit 0 only if "
      "every verdict is the expected one.");
  cmd->callback([args, &state] { run_selftest_command(*args, &state.exit_code); });
}

}  // namespace convprobe::cli
