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
  cmd->add_option(
      "--finddb", args->finddb.finddb,
      "miopen-finddb: merge the records into this MIOpen user find-db (backed up first, under "
      "MIOpen's lock); 'auto': the one file of the runs' MIOpen version in $MIOPEN_USER_DB_PATH or "
      "~/.config/miopen/ (none yet: MIOpen, writing the records, creates and names it)");
  cmd->add_option("--finddb-log", args->finddb.finddb_log,
                  "miopen-finddb: merge into the user find-db this MIOpen log names (written with "
                  "MIOPEN_LOG_LEVEL=6: 'Looking for key ... in file PATH')");
  cmd->add_option("--finddb-by", args->finddb.by,
                  "miopen-finddb: who writes the records: miopen (MIOpen's own NORMAL Find, one supervised "
                  "worker per record with only the chosen solver) or convprobe (the lines merged in); "
                  "default: miopen when the MIOpen here is the runs' version")
      ->check(CLI::IsMember({"miopen", "convprobe"}));
  cmd->add_flag("--dry-run", args->finddb.dry_run,
                "miopen-finddb: say what --finddb would change; change nothing");
  cmd->add_flag("--json", args->finddb.json, "miopen-finddb: the report as JSON on stdout");
  cmd->add_option("--lock-timeout", args->finddb.lock_timeout_s,
                  "miopen-finddb: seconds to wait for MIOpen's lock on the find-db (default 10)");
  cmd->footer(
      "By default HANG, CRASH, MISMATCH, OOM, FAILED (and UNTESTED) block a candidate everywhere; "
      "UNSUPPORTED "
      "and SKIPPED never do.\nThe file is written, never installed: stderr says how to install or export "
      "it.\nmiopen-finddb prints the records, or merges them into MIOpen's user find-db with --finddb or "
      "--finddb-log (never -o).\n" +
      std::string(kDbReadExitCodes));
  cmd->callback([args, &state] { state.exit_code = write_policy(*args) ? kExitOk : kExitFailure; });
}

}  // namespace convprobe::cli
