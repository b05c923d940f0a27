// The built-in problem sets as `convprobe presets` shows them: a list (name, problem count, description) or
// one set's descriptors, one per line (itself a valid problems file); or the same as JSON.
#pragma once

#include <cstddef>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "problem/presets.hpp"

namespace convprobe {

/// A preset in the list: its problem count is that of the preset as built (with --batch, if any).
struct PresetSummary {
  std::string name;
  std::string description;
  size_t count = 0;
};

[[nodiscard]] nlohmann::json preset_list_json(const std::vector<PresetSummary>& list);
void print_preset_list(FILE* out, const std::vector<PresetSummary>& list);

[[nodiscard]] nlohmann::json preset_json(const Preset& preset);
void print_preset(FILE* out, const Preset& preset);

}  // namespace convprobe
