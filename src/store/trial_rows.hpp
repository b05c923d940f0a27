// Trial rows: the mapping between a trial and its row in the `trials` table, and the filtered query.
#pragma once

#include <vector>

#include "store/sqlite_handle.hpp"

namespace convprobe::store_detail {

/// Inserts one trial (a single statement: its own transaction in autocommit mode). Returns the row id.
int64_t insert_trial(Db& db, int64_t run_id, const Problem& problem, const std::string& backend,
                     const Candidate& candidate, const TrialResult& result, const std::string& repro);

/// Trials matching `filter`, by id. Backend, run and verdicts are filtered in SQL; the globs in C++ with
/// the same matcher `sweep --candidates` uses (glob_match / matches_any), so a pattern means one thing
/// everywhere. The problem glob matches the key or the label. `schema_version`: the file's (a schema-3 file,
/// opened read-only, has no samples column).
[[nodiscard]] std::vector<StoredTrial> select_trials(Db& db, const TrialFilter& filter, int schema_version);

}  // namespace convprobe::store_detail
