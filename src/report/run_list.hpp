// Stored runs as `results --runs` shows them: a table of fingerprints, or each run's JSON (the sweep's "run"
// object plus when it started and how many trials it holds).
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "store/store.hpp"

namespace convprobe {

/// run_json(run.fingerprint, run.id) plus "started_at" and "trials" (its trial count).
[[nodiscard]] nlohmann::json stored_run_json(const StoredRun& run, int64_t trial_count);

/// One row per run; `counts`: trials per run id (a run missing there has none).
void print_run_table(FILE* out, const std::vector<StoredRun>& runs, const std::map<int64_t, int64_t>& counts);

}  // namespace convprobe
