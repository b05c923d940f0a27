// What `convprobe compare` reads from its command line (docs/compare.md, "Naming the runs"):
//   RUN_ID         a run of the --db database (or of the default one): `3`
//   FILE           the latest run with trials of that database: `before.db`
//   FILE:RUN_ID    that run of that database: `fleet.db:12`
// A bare number is always a run id; a file named with digits only is `./12`. Errors are UsageErrors (exit 2)
// naming the side (A or B), the text and this grammar.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace convprobe {

struct RunOperand {
  std::string text;               ///< as given
  std::string db;                 ///< the file named; empty: the --db database
  std::optional<int64_t> run_id;  ///< nullopt: the latest run with trials
};

/// `which` is "A" or "B".
[[nodiscard]] RunOperand parse_run_operand(const std::string& text, const char* which);

/// --threshold: a percentage with its sign, "5%" or "2.5%", as a fraction (0.05). The '%' is required so
/// that "0.05" cannot mean 5% to one reader and 0.05% to another. From 0% to 1000%.
[[nodiscard]] double parse_threshold(const std::string& text);

/// --alpha: a significance level strictly between 0 and 1.
void check_alpha(double alpha);

}  // namespace convprobe
