// `convprobe devices`: every known backend, its library version and devices, or why it is unavailable.
// Each backend is asked through a worker (or in-process), so a vendor library that crashes on load shows up
// as "unavailable", never as a crash of convprobe (jobs/listings.hpp; shown by report/listing_report.hpp).
#include <algorithm>
#include <memory>

#include "cli/cli.hpp"
#include "jobs/listings.hpp"
#include "report/document.hpp"

namespace convprobe::cli {

void add_devices_command(CLI::App& app, CliState& state) {
  auto* cmd = app.add_subcommand(
      "devices", "List backends, their library versions and devices, or why they are unavailable");
  struct Args {
    std::string json_path;
    std::vector<std::string> backends;
    bool in_process = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("-b,--backend", args->backends, "Only these backends (default: all)");
  cmd->add_option("--json", args->json_path, "Write JSON to FILE or '-' for stdout");
  cmd->add_flag("--in-process", args->in_process, "Load plugins in this process instead of a worker");
  cmd->callback([args, &state] {
    const std::vector<ProbedBackend> backends = probe_backends(args->backends, args->in_process);
    if (!args->json_path.empty()) write_json_output(args->json_path, backends_document(backends));
    if (args->json_path != "-") print_backend_table(stdout, backends);
    const bool any_available = std::any_of(backends.begin(), backends.end(),
                                           [](const ProbedBackend& b) { return b.info.available; });
    state.exit_code = any_available ? kExitOk : kExitFailure;
  });
}

}  // namespace convprobe::cli
