// Placeholder: replaced by the real command.
#include "cli/cli.hpp"

namespace convprobe::cli {

void add_bisect_command(CLI::App& app, CliState& state) {
  auto* cmd = app.add_subcommand("bisect", "(not implemented yet)");
  cmd->callback([&state] { throw std::runtime_error("'bisect' is not implemented yet"); (void)state; });
}

}  // namespace convprobe::cli
