// The `results` job: what the results database holds, read-only (it never creates, migrates or writes the
// database, so it is safe while a sweep writes to it). Trials go through the report printers, the road the
// sweep's own report takes; `--runs` lists the runs instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "report/printer.hpp"

namespace convprobe {

struct ResultsQuery {
  std::string db_path;            ///< --db (empty: the default database)
  std::string backend;            ///< exact (empty: any)
  std::string candidates;         ///< comma-separated globs over candidate ids
  std::string verdicts;           ///< --verdict: comma-separated, case-insensitive
  std::string problem;            ///< glob over problem keys or labels
  std::optional<int64_t> run_id;  ///< --run
};

/// The stored trials the query selects, through `printer`: the document opens with the matching runs.
/// Throws UsageError for an unknown verdict or run id, DbLocationError when there is no database.
void report_stored_trials(const ResultsQuery& query, Printer& printer);

/// `results --runs`: the matching runs as a table on stdout (unless `json_path` is "-") and as JSON
/// {"schema_version", "runs"} to `json_path` (empty: none).
void list_stored_runs(const ResultsQuery& query, const std::string& json_path);

}  // namespace convprobe
