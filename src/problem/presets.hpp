// Built-in problem sets (`convprobe presets`, `sweep --preset NAME`): generated in C++ or, for the model
// presets, problems files compiled in, so the binary needs no data files at run time. docs/problems.md lists
// them and says why each is what it is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "convprobe/problem.hpp"

namespace convprobe {

struct PresetInfo {
  std::string name;
  std::string description;
};

struct Preset {
  std::string name;
  std::string description;
  std::vector<Problem> problems;
};

/// Every preset's name and description, in listing order.
[[nodiscard]] const std::vector<PresetInfo>& presets();

/// Build preset `name`. batch_override > 0 sets every problem's mb (duplicates are dropped, their runs added
/// to the one kept); -1 keeps the preset's own batches. On failure (unknown name, bad batch) returns false
/// with *err listing what is valid.
bool find_preset(const std::string& name, int64_t batch_override, Preset* out, std::string* err);

}  // namespace convprobe
