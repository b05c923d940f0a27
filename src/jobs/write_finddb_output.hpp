// What `policy --emit miopen-finddb` prints when it writes (or with --json): the file, each record and what
// happened to it, the problems without a record and why, the backup and the lock. Text on stdout, or one JSON
// document (docs/json-schema.md, "policy --emit miopen-finddb").
#pragma once

#include <nlohmann/json.hpp>

#include "policy/emit_miopen_finddb.hpp"
#include "vendor/miopen_finddb_write.hpp"
#include "vendor/miopen_log.hpp"

namespace convprobe {

/// The report as a JSON document; `report` and `log` may be null (no target, no log).
[[nodiscard]] nlohmann::json finddb_document(const FindDbDecision& d, const miopen::FindDbWriteReport* report,
                                             const miopen::UserFindDbLookups* log);
/// Print the report on stdout: the JSON document, or text (the record lines alone when there is no target).
void print_finddb_report(const FindDbDecision& d, const miopen::FindDbWriteReport* report,
                         const miopen::UserFindDbLookups* log, bool json);

}  // namespace convprobe
