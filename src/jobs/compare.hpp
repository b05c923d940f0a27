// The `compare` job (docs/compare.md): two runs, from one database or two, read-only; matched, judged
// (jobs/compare_match.hpp, jobs/compare_fingerprint.hpp) and shown by the compare printers
// (report/compare_output.hpp). The regressions it counts are the command's exit status, so a CI pipeline or
// a fleet roll-out can gate on it.
#pragma once

#include <cstddef>
#include <string>

#include "report/comparison.hpp"

namespace convprobe {

struct CompareOptions {
  std::string a, b;     ///< operands (jobs/compare_input.hpp)
  std::string db_path;  ///< --db: the database of bare run ids (empty: the default one)
  CompareSettings settings;
  std::string json_path;      ///< --json FILE or "-" (empty: none)
  std::string markdown_path;  ///< --markdown FILE or "-" (empty: none)
};

/// Reads both runs and compares them (UsageError for a bad operand or a missing file or run; StoreError for
/// a database that cannot be read).
[[nodiscard]] Comparison compare_runs(const CompareOptions& o);

/// compare_runs, then the table on stdout (unless a document goes there) and the documents asked for.
/// Returns the number of regressions.
size_t run_compare(const CompareOptions& o);

}  // namespace convprobe
