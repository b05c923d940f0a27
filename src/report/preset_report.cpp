#include "report/preset_report.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace convprobe {

nlohmann::json preset_list_json(const std::vector<PresetSummary>& list) {
  nlohmann::json presets = nlohmann::json::array();
  for (const auto& p : list) {
    presets.push_back({{"name", p.name}, {"description", p.description}, {"count", p.count}});
  }
  return {{"presets", presets}};
}

void print_preset_list(FILE* out, const std::vector<PresetSummary>& list) {
  size_t width = 4;
  for (const auto& p : list) width = std::max(width, p.name.size());
  fmt::print(out, "{:<{}}  {:>8}  {}\n", "NAME", width, "PROBLEMS", "DESCRIPTION");
  for (const auto& p : list) fmt::print(out, "{:<{}}  {:>8}  {}\n", p.name, width, p.count, p.description);
  fmt::print(out,
             "\n`convprobe presets NAME` prints a preset's descriptors, one per line (a problems file).\n");
}

nlohmann::json preset_json(const Preset& preset) {
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : preset.problems) {
    problems.push_back(
        {{"problem", to_string(p)}, {"key", key(p)}, {"label", p.label}, {"runs", p.runs}, {"flops", p.flops()}});
  }
  return {{"name", preset.name},
          {"description", preset.description},
          {"count", preset.problems.size()},
          {"problems", problems}};
}

void print_preset(FILE* out, const Preset& preset) {
  fmt::print(out, "# {}: {} ({} problems)\n", preset.name, preset.description, preset.problems.size());
  // The "48x " count of a recorded model's preset (docs/problems.md "Counts"): the output stays a problems file.
  for (const auto& p : preset.problems) {
    if (p.runs > 0) fmt::print(out, "{}x ", p.runs);
    fmt::print(out, "{}\n", to_string(p));
  }
}

}  // namespace convprobe
