// `convprobe presets [NAME] [--batch N] [--json FILE|-]`: list the built-in problem sets, or print one set's
// descriptors one per line (the output is itself a valid problems file).
#include <fmt/core.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "report/preset_report.hpp"

namespace convprobe::cli {

namespace {

struct PresetsOptions {
  std::string name;
  int64_t batch = -1;
  std::string json_path;
};

Preset build(const std::string& name, int64_t batch) {
  Preset p;
  std::string err;
  if (!find_preset(name, batch, &p, &err)) throw UsageError(err);
  return p;
}

/// Every preset with its problem count as built with `batch`.
std::vector<PresetSummary> summaries(int64_t batch) {
  std::vector<PresetSummary> list;
  for (const auto& info : presets())
    list.push_back({info.name, info.description, build(info.name, batch).problems.size()});
  return list;
}

void write_json(const nlohmann::json& doc, const std::string& path) {
  const std::string text = doc.dump(2) + "\n";
  if (path == "-") {
    std::fputs(text.c_str(), stdout);
    return;
  }
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f)
    throw UsageError(fmt::format("--json \"{}\": cannot open for writing: {}", path, std::strerror(errno)));
  const bool ok = std::fputs(text.c_str(), f) >= 0;
  if (std::fclose(f) != 0 || !ok) {
    throw std::runtime_error(fmt::format("--json \"{}\": write failed: {}", path, std::strerror(errno)));
  }
}

void run(const PresetsOptions& o) {
  if (o.batch != -1 && o.batch < 1) {
    throw UsageError(fmt::format("--batch {}: expected a positive integer", o.batch));
  }
  if (o.name.empty()) {
    if (!o.json_path.empty()) {
      write_json(preset_list_json(summaries(-1)), o.json_path);
    } else {
      print_preset_list(stdout, summaries(o.batch));
    }
    return;
  }
  const Preset preset = build(o.name, o.batch);
  if (!o.json_path.empty()) {
    write_json(preset_json(preset), o.json_path);
  } else {
    print_preset(stdout, preset);
  }
}

}  // namespace

void add_presets_command(CLI::App& app, CliState& state) {
  auto opts = std::make_shared<PresetsOptions>();
  auto* cmd =
      app.add_subcommand("presets", "List the built-in problem sets, or print one as a problems file");
  cmd->add_option("name", opts->name,
                  "Preset to print (`convprobe presets` lists them: gfx1010*, resnet50, ...)");
  cmd->add_option("--batch", opts->batch, "Override every problem's batch size (mb)");
  cmd->add_option("--json", opts->json_path, "Write JSON to FILE, or to stdout with '-'");
  cmd->callback([opts, &state] {
    run(*opts);
    state.exit_code = kExitOk;
  });
}

}  // namespace convprobe::cli
