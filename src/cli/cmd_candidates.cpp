// `convprobe candidates PROBLEM -b BACKEND`: what a backend offers for a problem, with families and notes
// (jobs/listings.hpp; shown by report/listing_report.hpp).
#include <memory>

#include "cli/trial_cli.hpp"
#include "jobs/listings.hpp"
#include "report/document.hpp"

namespace convprobe::cli {

void add_candidates_command(CLI::App& app, CliState& state) {
  auto* cmd = app.add_subcommand(
      "candidates", "List the candidates (algorithms, engines, solvers) a backend offers for a problem");
  cmd->footer("Example:\n  convprobe candidates mb1ic64ih56oc64kh3ph1 -b onednn");
  struct Args {
    std::string problem;
    CandidatesJobOptions job;
    std::string json_path;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("PROBLEM", args->problem, "Problem descriptor or MIOpenDriver conv flags")->required();
  cmd->add_option("-b,--backend", args->job.backend, "Backend")->required();
  cmd->add_option("--candidates", args->job.patterns, "Only ids matching these comma-separated globs");
  cmd->add_option("--json", args->json_path, "Write JSON to FILE or '-' for stdout");
  add_backend_option_flags(cmd, &args->job.trial);
  cmd->add_flag("--in-process", args->job.in_process, "Load the plugin in this process instead of a worker");
  cmd->callback([args, &state] {
    TrialCliOptions check;
    check.backend = args->job.backend;
    check.trial = args->job.trial;
    validate_trial_options(check);
    const Problem problem = resolve_problems("", -1, "", {args->problem})[0];
    const std::vector<Candidate> candidates = list_candidates(problem, args->job);
    if (!args->json_path.empty())
      write_json_output(args->json_path, candidates_document(problem, args->job.backend, candidates));
    if (args->json_path != "-") print_candidate_table(stdout, problem, candidates);
    state.exit_code = kExitOk;
  });
}

}  // namespace convprobe::cli
