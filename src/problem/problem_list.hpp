// Lists of problems where the same problem may come twice (a preset or problems file after --batch N): one
// rule for making them one, so every source counts the same way.
#pragma once

#include <vector>

#include "convprobe/problem.hpp"

namespace convprobe {

/// `problems` with each problem once (identity: key(), so labels and runs do not count), in the order first
/// seen; a repeat adds its runs to the first, whose label stays.
[[nodiscard]] std::vector<Problem> merge_same_problems(std::vector<Problem> problems);

}  // namespace convprobe
