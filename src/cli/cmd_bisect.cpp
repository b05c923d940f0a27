// `convprobe bisect`: find where a candidate's verdict changes along one axis of a problem (jobs/bisect.hpp).
#include <fmt/core.h>

#include <memory>

#include "cli/cli.hpp"
#include "cli/trial_cli.hpp"
#include "exec/backend_registry.hpp"
#include "jobs/bisect_output.hpp"
#include "report/document.hpp"

namespace convprobe::cli {

namespace {

struct BisectArgs {
  BisectOptions job;
  TrialCliOptions trial;  ///< the shared options bisect has, checked as run and sweep check them
  std::string json_path;
};

void run_bisect_command(BisectArgs a, const CliState& state, int* exit_code) {
  validate_trial_options(a.trial);
  a.job.session = session_options(a.trial, state);
  a.job.db_path = a.trial.db_path;
  a.job.no_db = a.trial.no_db;
  a.job.quiet = a.trial.quiet || a.json_path == "-";
  a.job.trial = a.trial.trial;
  const BisectReport report = run_bisect(a.job);
  if (a.json_path != "-") print_bisect(stdout, report);
  if (!a.json_path.empty()) write_json_output(a.json_path, bisect_document(report));
  *exit_code = bisect_ok(report) ? kExitOk : kExitFailure;
}

}  // namespace

void add_bisect_command(CLI::App& app, CliState& state) {
  auto args = std::make_shared<BisectArgs>();
  TrialCliOptions& t = args->trial;
  auto* cmd =
      app.add_subcommand("bisect", "Find where a candidate's verdict changes along one axis of a problem");
  cmd->add_option("-b,--backend", t.backend, "Backend: " + known_backends_text(" or "))->required();
  cmd->add_option("--candidate", args->job.candidate, "Candidate id, e.g. fault.hang@hw>42")->required();
  cmd->add_option("--from", args->job.from, "Problem descriptor the search starts from")->required();
  cmd->add_option("--axis", args->job.axis,
                  "Axis: hw (H and W together), h, w, c (input channels), k (output channels), n (batch), r "
                  "(kernel size; 'same' padding is kept)")
      ->required();
  cmd->add_option("--to", args->job.to, "The other end of the axis")->required();
  cmd->add_option("--db", t.db_path, std::string("Every probe is stored here. ") + kDbWriteHelp);
  cmd->add_flag("--no-db", t.no_db, "Do not store the probes");
  cmd->add_option("--json", args->json_path, "Write the outcome as JSON to FILE, or '-' for stdout");
  cmd->add_option("--timeout-ms", t.timeout_ms, "Watchdog cap per trial phase in ms (default 600000)");
  cmd->add_option("--timeout-floor-ms", t.timeout_floor_ms, "Watchdog floor per phase in ms (default 2000)");
  cmd->add_flag("--in-process", t.in_process, "Run trials in this process (a hang hangs convprobe)");
  cmd->add_option("--spot-checks", args->job.spot_checks,
                  "Random extra values checked on each side (default 3)");
  cmd->add_option("--seed", t.trial.seed, "Seed of inputs and of the spot checks");
  add_timing_options(cmd, &t.trial);
  cmd->add_flag("-q,--quiet", t.quiet, "No per-probe lines on stderr");
  cmd->footer(
      "Exit codes: 0 a boundary was found (or the verdict does not change); 1 non-monotone or unstable "
      "verdicts, or "
      "a runtime failure; 2 bad usage or input (e.g. a --candidate the backend does not list at --from).\n"
      "Example: convprobe bisect -b fault --candidate 'fault.hang@hw>42' --from mb1ic3ih32oc64kh3ph1 --axis "
      "hw --to "
      "512");
  cmd->callback([args, &state] { run_bisect_command(*args, state, &state.exit_code); });
}

}  // namespace convprobe::cli
