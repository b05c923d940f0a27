// `convprobe run PROBLEM -b BACKEND`: every candidate (or those matching --candidates) on one problem.
#include <fmt/core.h>

#include "cli/trial_cli.hpp"

namespace convprobe::cli {

void add_run_command(CLI::App& app, CliState& state) {
  auto* cmd =
      app.add_subcommand("run", "Run candidates of one backend on one or more problems, verified and timed");
  cmd->footer(
      R"(PROBLEM is a descriptor such as mb1ic3ih224oc64kh3ph1 (see `convprobe presets` and docs/problems.md)
or MIOpenDriver flags in one argument: "conv -n 1 -c 3 -H 224 -W 224 -k 64 -y 3 -x 3 -p 1 -q 1 -F 1".
Examples:
  convprobe run mb1ic64ih56oc64kh3ph1 -b onednn
  convprobe run bwdd_mb2ic32ih28oc32kh3ph1 -b onednn --candidates 'direct:*'
  convprobe run mb1ic3ih64oc64kh3ph1 -b fault --candidates 'fault.hang@hw>42' --timeout-ms 1000)");
  struct Args {
    std::vector<std::string> problems;
    TrialCliOptions opts;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("PROBLEM", args->problems, "Problem descriptor(s) or MIOpenDriver conv flags")->required();
  add_trial_options(cmd, &args->opts);
  cmd->callback([args, &state] {
    validate_trial_options(args->opts);
    auto problems = resolve_problems("", -1, "", args->problems);
    state.exit_code = run_sweep_command(problems, args->opts, state);
  });
}

}  // namespace convprobe::cli
