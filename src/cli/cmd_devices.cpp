// `convprobe devices`: every known backend, its library version and devices, or why it is unavailable.
// Each backend is asked through a worker (or in-process), so a vendor library that crashes on load shows up
// as "unavailable", never as a crash of convprobe.
#include <fmt/core.h>

#include "cli/cli.hpp"
#include "cli/trial_cli.hpp"
#include "core/json_io.hpp"
#include "exec/backend_registry.hpp"
#include "jobs/executor_factory.hpp"
#include "report/text_table.hpp"

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
    std::vector<std::string> names = args->backends.empty() ? known_backends() : args->backends;
    for (const auto& n : names) {
      if (!is_known_backend(n))
        throw UsageError(
            fmt::format("--backend '{}' is not a backend; expected one of {}", n, known_backends_text(", ")));
    }
    TextTable table({"backend", "device", "version", "status"});
    nlohmann::json doc{{"schema_version", 1}, {"backends", nlohmann::json::array()}};
    bool any_available = false;
    for (const auto& name : names) {
      ExecutorOptions e;
      e.backend = name;
      e.in_process = args->in_process;
      BackendInfo info = make_executor(e)->info();
      if (info.name.empty()) info.name = name;
      any_available = any_available || info.available;
      doc["backends"].push_back(to_json(info));
      if (!info.available) {
        table.add_row({name, "-", info.version.empty() ? "-" : info.version, "unavailable: " + info.reason});
        continue;
      }
      for (const auto& d : info.devices) {
        std::string status = "ok";
        if (!info.notes.empty())
          status += " (" + info.notes.front() + (info.notes.size() > 1 ? ", ..." : "") + ")";
        table.add_row({name, fmt::format("{}: {}", d.index, d.name), info.version, status});
      }
      if (info.devices.empty()) table.add_row({name, "-", info.version, "ok (no devices)"});
    }
    if (!args->json_path.empty()) write_json_output(args->json_path, doc);
    if (args->json_path != "-") table.print(stdout);
    state.exit_code = any_available ? kExitOk : kExitFailure;
  });
}

}  // namespace convprobe::cli
