// `convprobe worker`: the process the supervisor starts for each device (never run by hand). Hidden from the
// main help; docs/supervisor.md describes the protocol it speaks on --fd-in / --fd-out.
#include "cli/cli.hpp"
#include "exec/backend_registry.hpp"
#include "worker/worker_main.hpp"

namespace convprobe::cli {

void add_worker_command(CLI::App& app, CliState& state) {
  auto* cmd =
      app.add_subcommand("worker", "Serve trials for a supervisor (internal; started by convprobe itself)");
  cmd->group("");  // hidden: users never start a worker themselves
  auto opts = std::make_shared<WorkerMainOptions>();
  cmd->add_option("-b,--backend", opts->backend, "Backend plugin to load")->required();
  cmd->add_option("--device", opts->device, "Device index within the backend")->check(CLI::NonNegativeNumber);
  cmd->add_option("--fd-in", opts->fd_in, "Descriptor the requests arrive on")->check(CLI::NonNegativeNumber);
  cmd->add_option("--fd-out", opts->fd_out, "Descriptor the responses are written to")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([opts, &state] {
    if (!is_known_backend(opts->backend))
      throw UsageError("--backend: unknown backend '" + opts->backend + "'");
    state.exit_code = run_worker(*opts);
  });
}

}  // namespace convprobe::cli
