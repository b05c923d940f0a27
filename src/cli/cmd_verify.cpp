// `convprobe verify --policy FILE`: re-run the problems behind a policy in a fresh worker with the policy
// applied, compare with the stored verdicts, optionally check PyTorch with the policy (jobs/verify_job.hpp).
#include <memory>

#include "cli/cli.hpp"
#include "cli/trial_cli.hpp"
#include "jobs/verify_output.hpp"
#include "policy/emitters.hpp"
#include "report/document.hpp"

namespace convprobe::cli {

namespace {

struct VerifyArgs {
  VerifyJobOptions job;
  TrialCliOptions trial;  ///< the shared options verify has, checked as run and sweep check them
  std::string json_path;
};

void run_verify_command(VerifyArgs a, const CliState& state, int* exit_code) {
  validate_trial_options(a.trial);
  a.job.session = session_options(a.trial, state);
  a.job.db_path = a.trial.db_path;
  a.job.trial = a.trial.trial;
  const VerifyOutcome outcome = run_verify_job(a.job, VerifyPrinter(a.json_path != "-"));
  if (!a.json_path.empty()) write_json_output(a.json_path, verify_document(outcome));
  *exit_code = outcome.ok ? kExitOk : kExitFailure;
}

}  // namespace

void add_verify_command(CLI::App& app, CliState& state) {
  auto args = std::make_shared<VerifyArgs>();
  TrialCliOptions& t = args->trial;
  auto* cmd =
      app.add_subcommand("verify", "Re-run the problems behind a policy in a fresh worker with it applied");
  cmd->add_option("--policy", args->job.policy_path,
                  "Policy file, as `convprobe policy --emit` writes it: " + emitter_names())
      ->required();
  cmd->add_option(
      "--db", t.db_path,
      std::string("The verdicts before the policy. ") + kDbReadHelp +
          " (without --db, a missing default database is fine when the policy names its problems)");
  cmd->add_option("-b,--backend", t.backend, "Backend (default: the one the policy is for)");
  cmd->add_option(
      "--framework", args->job.framework,
      "Also run each problem through this framework with the policy (torch: needs python3 with torch; "
      "reported SKIPPED otherwise)");
  cmd->add_option("--json", args->json_path, "Write the report as JSON to FILE, or '-' for stdout");
  cmd->add_flag("--all-candidates", args->job.all_candidates,
                "Run every candidate the worker offers, not only those with a stored verdict");
  cmd->add_option("--timeout-ms", t.timeout_ms, "Watchdog cap per trial phase in ms (default 600000)");
  cmd->add_option("--timeout-floor-ms", t.timeout_floor_ms, "Watchdog floor per phase in ms (default 2000)");
  cmd->add_option("--seed", t.trial.seed, "Seed of inputs and verification samples");
  add_timing_options(cmd, &t.trial);
  cmd->footer(
      "Exit codes: 0 every problem passes with the policy; 1 a problem still has a failing candidate, lost "
      "every "
      "passing candidate, an oneDNN cap did not take effect, or the torch check failed (SKIPPED does not "
      "fail); "
      "2 bad usage or input, including a results database that does not exist (\"no results database at PATH "
      "...\").");
  cmd->callback([args, &state] { run_verify_command(*args, state, &state.exit_code); });
}

}  // namespace convprobe::cli
