// Placeholder: replaced by the real command.
#include "cli/cli.hpp"

namespace convprobe::cli {

void add_policy_command(CLI::App& app, CliState& state) {
  auto* cmd = app.add_subcommand("policy", "(not implemented yet)");
  cmd->callback([&state] { throw std::runtime_error("'policy' is not implemented yet"); (void)state; });
}

}  // namespace convprobe::cli
