// `convprobe policy`: derive blocked/preferred candidates from stored verdicts and write them in the format a
// framework or library reads (jobs/write_policy.hpp). The file goes to -o or stdout; what was blocked and why
// goes to stderr.
#include <memory>

#include "cli/cli.hpp"
#include "jobs/write_policy.hpp"
#include "policy/emitters.hpp"

namespace convprobe::cli {

void add_policy_command(CLI::App& app, CliState& state) {
  auto args = std::make_shared<PolicyJobOptions>();
  auto* cmd = app.add_subcommand(
      "policy", "Write what frameworks should avoid (and prefer), derived from stored verdicts");
  cmd->add_option("--db", args->db_path, kDbReadHelp);
  cmd->add_option("--emit", args->emit, "Format: " + emitter_help())->required();
  cmd->add_option("-o,--output", args->output, "Write the policy to FILE (default: stdout)");
  cmd->add_option(
      "--block-slower", args->block_slower,
      "Also block candidates slower than X times the best passing one on every problem where they "
      "passed (never one that is the fastest anywhere)");
  cmd->add_option("-b,--backend", args->backend,
                  "Backend whose trials to use (needed when the db holds several)");
  cmd->add_option("--run", args->run_id, "Use only the trials of this run id");
  cmd->footer(
      "By default HANG, CRASH, MISMATCH, OOM, FAILED (and UNTESTED) block a candidate everywhere; "
      "UNSUPPORTED "
      "and SKIPPED never do.\nThe file is written, never installed: stderr says how to install or export "
      "it.\n" +
      std::string(kDbReadExitCodes));
  cmd->callback([args, &state] {
    write_policy(*args);
    state.exit_code = kExitOk;
  });
}

}  // namespace convprobe::cli
