// A tally written as a problems file (docs/problems.md): provenance as '#' comments, then one line per
// problem,
// "<runs>x <descriptor>" in the order first seen (a model's layer order), so `sweep --problems` reads it back
// with its counts, and a person reading it sees where each shape came from (its label).
#pragma once

#include <string>
#include <vector>

#include "sources/tally.hpp"

namespace convprobe::sources {

/// `header` lines become comments (newlines inside them are made spaces); the tally's skips, rejections and
/// warnings follow as comments too, so the file says what it does not hold.
[[nodiscard]] std::string problems_file_text(const Tally& tally, const std::vector<std::string>& header);

/// One line for people: "14 distinct problems, 340 runs; skipped 12 fusion (LogCmdFusion); 1 rejected".
[[nodiscard]] std::string tally_summary(const Tally& tally);

}  // namespace convprobe::sources
