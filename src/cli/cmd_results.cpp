// `convprobe results`: what the results database holds, filtered, as a table or one JSON document
// (jobs/stored_results.hpp). Read-only: safe to run while a sweep writes to the database.
#include <memory>

#include "cli/cli.hpp"
#include "cli/trial_cli.hpp"
#include "jobs/stored_results.hpp"

namespace convprobe::cli {

namespace {

struct ResultsArgs {
  ResultsQuery query;
  int64_t run_id = 0;
  ReportTargets outputs;
  bool list_runs = false;
};

void run_results_command(ResultsArgs a, bool run_given) {
  if (run_given) a.query.run_id = a.run_id;
  validate_report_targets(a.outputs);
  if (a.list_runs) {
    if (!a.outputs["csv"].empty()) throw UsageError("--csv lists trials; with --runs use --json");
    list_stored_runs(a.query, a.outputs["json"]);
    return;
  }
  const auto printers = make_report_printers(a.outputs);
  report_stored_trials(a.query, *printers);
}

}  // namespace

void add_results_command(CLI::App& app, CliState& state) {
  auto a = std::make_shared<ResultsArgs>();
  auto* cmd = app.add_subcommand("results", "Show stored trials (or runs) from the results database");
  cmd->add_option("--db", a->query.db_path, kDbReadHelp);
  cmd->add_option("-b,--backend", a->query.backend, "Only this backend");
  cmd->add_option("--candidates", a->query.candidates,
                  "Comma-separated globs over candidate ids, e.g. 'jit:*,gemm*'");
  cmd->add_option("--verdict", a->query.verdicts,
                  "Comma-separated verdicts, e.g. HANG,CRASH (case-insensitive)");
  cmd->add_option("--problem", a->query.problem,
                  "Glob over problem keys or labels, e.g. '*ih56*' or 'resnet*'");
  auto* run = cmd->add_option("--run", a->run_id, "Only this run id (see --runs)");
  add_report_options(cmd, &a->outputs,
                     {{"json", "Write {schema_version, runs, trials} as JSON to FILE, or - for stdout"}});
  cmd->add_flag("--runs", a->list_runs, "List runs with their fingerprints instead of trials");
  cmd->footer(R"(Examples:
  convprobe results --verdict HANG,CRASH
  convprobe results --db runs.db -b miopen --candidates '*Gemm*' --problem '*ih224*'
  convprobe results --runs
  convprobe results --json - | jq '.trials[] | select(.verdict == "MISMATCH")'
  convprobe results --verdict PASS --csv passing.csv
)" + std::string(kDbReadExitCodes));
  cmd->callback([a, run, &state] {
    run_results_command(*a, run->count() > 0);
    state.exit_code = kExitOk;
  });
}

}  // namespace convprobe::cli
