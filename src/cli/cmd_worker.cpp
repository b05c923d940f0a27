// Placeholder: replaced by the real command.
#include "cli/cli.hpp"

namespace convprobe::cli {

void add_worker_command(CLI::App& app, CliState& state) {
  auto* cmd = app.add_subcommand("worker", "(not implemented yet)");
  cmd->callback([&state] { throw std::runtime_error("'worker' is not implemented yet"); (void)state; });
}

}  // namespace convprobe::cli
