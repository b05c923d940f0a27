// Placeholder: replaced by the real command.
#include "cli/cli.hpp"

namespace convprobe::cli {

void add_verify_command(CLI::App& app, CliState& state) {
  auto* cmd = app.add_subcommand("verify", "(not implemented yet)");
  cmd->callback([&state] { throw std::runtime_error("'verify' is not implemented yet"); (void)state; });
}

}  // namespace convprobe::cli
