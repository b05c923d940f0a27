// `convprobe compare A B`: what changed between two runs, for upgrade validation (jobs/compare.hpp,
// docs/compare.md). Read-only; its exit status is 1 when it finds a regression, so it can gate a pipeline.
#include <memory>

#include "cli/cli.hpp"
#include "jobs/compare.hpp"
#include "jobs/compare_input.hpp"

namespace convprobe::cli {

namespace {

constexpr const char* kFooter = R"(A and B each name a run:
  RUN_ID        a run of the --db database (ids: `convprobe results --runs`)
  FILE          the latest run with trials in that database
  FILE:RUN_ID   that run of that database (a file named only with digits: ./12)
Trials are matched on (problem, backend, candidate). Verdicts fall in three classes: PASS; not offered
(UNSUPPORTED, SKIPPED, no trial); broken (MISMATCH, FAILED, CRASH, HANG, OOM, UNTESTED). A regression is a
change into "broken" (a new candidate that is broken included), a problem's best candidate (its fastest
PASS) SLOWER beyond the threshold and significant, or a problem with a PASS in A and none in B.
Times: ratio of medians; SAME within --threshold or when the Mann-Whitney test on the stored samples gives
p >= --alpha; runs stored before samples were kept are judged by the ratio alone, and say so.

Examples:
  convprobe compare before.db after.db                  # the latest run of each
  convprobe compare 3 4 --db fleet.db --threshold 10%   # two runs of one database
  convprobe compare before.db fleet.db:12 --markdown report.md
  convprobe compare 3 4 --json - | jq '.changes[] | select(.regression)'

Exit codes: 0 no regression; 1 a regression found (or a runtime failure, e.g. a corrupt database: stderr
says which); 2 bad usage or input, e.g. a run or database that does not exist.)";

struct CompareArgs {
  CompareOptions options;
  std::string threshold = "5%";
};

}  // namespace

void add_compare_command(CLI::App& app, CliState& state) {
  auto a = std::make_shared<CompareArgs>();
  auto* cmd = app.add_subcommand("compare", "Compare two runs (e.g. before and after an upgrade)");
  cmd->add_option("A", a->options.a, "The run before: RUN_ID, FILE or FILE:RUN_ID")->required();
  cmd->add_option("B", a->options.b, "The run after: RUN_ID, FILE or FILE:RUN_ID")->required();
  cmd->add_option("--db", a->options.db_path,
                  "Database of the runs named by a bare RUN_ID; never created or changed. Default: "
                  "$CONVPROBE_DB, else $XDG_DATA_HOME/convprobe/results.db, else "
                  "~/.local/share/convprobe/results.db");
  cmd->add_option("--threshold", a->threshold,
                  "Time changes up to this percentage are SAME (default 5%; the % is required)");
  cmd->add_option("--alpha", a->options.settings.alpha,
                  "Significance level of the Mann-Whitney test on the samples (default 0.05)");
  cmd->add_option("--json", a->options.json_path, "Write the comparison as JSON to FILE, or - for stdout");
  cmd->add_option(
      "--markdown", a->options.markdown_path,
      "Write the comparison as Markdown (for a pull request or a ticket) to FILE, or - for stdout");
  cmd->footer(kFooter);
  cmd->callback([a, &state] {
    a->options.settings.threshold = parse_threshold(a->threshold);
    state.exit_code = run_compare(a->options) > 0 ? kExitFailure : kExitOk;
  });
}

}  // namespace convprobe::cli
