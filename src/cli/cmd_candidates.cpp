// `convprobe candidates PROBLEM -b BACKEND`: what a backend offers for a problem, with families and notes.
#include <fmt/core.h>

#include "cli/trial_cli.hpp"
#include "core/json_io.hpp"
#include "jobs/executor_factory.hpp"
#include "report/text_table.hpp"

namespace convprobe::cli {

void add_candidates_command(CLI::App& app, CliState& state) {
  auto* cmd = app.add_subcommand(
      "candidates", "List the candidates (algorithms, engines, solvers) a backend offers for a problem");
  cmd->footer("Example:\n  convprobe candidates mb1ic64ih56oc64kh3ph1 -b onednn");
  struct Args {
    std::string problem;
    std::string backend;
    std::string patterns;
    std::string json_path;
    bool in_process = false;
    TrialOptions trial;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("PROBLEM", args->problem, "Problem descriptor or MIOpenDriver conv flags")->required();
  cmd->add_option("-b,--backend", args->backend, "Backend")->required();
  cmd->add_option("--candidates", args->patterns, "Only ids matching these comma-separated globs");
  cmd->add_option("--json", args->json_path, "Write JSON to FILE or '-' for stdout");
  add_backend_option_flags(cmd, &args->trial);
  cmd->add_flag("--in-process", args->in_process, "Load the plugin in this process instead of a worker");
  cmd->callback([args, &state] {
    TrialCliOptions check;
    check.backend = args->backend;
    check.trial = args->trial;
    validate_trial_options(check);
    auto problems = resolve_problems("", -1, "", {args->problem});
    ExecutorOptions e;
    e.backend = args->backend;
    e.in_process = args->in_process;
    auto executor = make_executor(e);
    BackendInfo info = executor->info();
    if (!info.available)
      throw std::runtime_error(fmt::format("backend {} is unavailable: {}", args->backend, info.reason));
    auto candidates = executor->candidates(problems[0], args->trial);
    TextTable table({"candidate", "family", "notes"});
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : candidates) {
      if (!matches_any(args->patterns, c.id)) continue;
      table.add_row({c.id, c.family, c.notes});
      list.push_back(to_json(c));
    }
    if (!args->json_path.empty()) {
      write_json_output(args->json_path, nlohmann::json{{"schema_version", 1},
                                                        {"problem", key(problems[0])},
                                                        {"backend", args->backend},
                                                        {"candidates", list}});
    }
    if (args->json_path != "-") {
      table.print(stdout);
      fmt::print("{} candidate(s) for {}\n", list.size(), to_short_string(problems[0]));
    }
    state.exit_code = kExitOk;
  });
}

}  // namespace convprobe::cli
