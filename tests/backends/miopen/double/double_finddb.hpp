// MIOpen's user find-db and user perf-db as the double's release lays them out: file names, the problem key,
// the record formats (1.0 up to ROCm 5.5, 2.0 from 5.6) and the Info2 log line printed on every lookup.
// Facts: ../shared/research/sources-steering-fleets.md §2 with the MIOpen source each comes from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "convprobe/problem.hpp"
#include "double_registry.hpp"

namespace convprobe_double {

/// One solution of a find-db record.
struct FindDbEntry {
  uint64_t solver = 0;
  float time = 0;
  size_t workspace = 0;
  int algo = 0;
};

/// "<gfx dbid>_<CUs>" (5.2 src/include/miopen/handle.hpp:199-215, src/target_properties.cpp:110-129).
[[nodiscard]] std::string db_basename();
/// <user db dir>/<base>.HIP.<maj>_<min>_<patch>_<tweak>.ufdb.txt (5.2 src/find_db.cpp:211-214).
[[nodiscard]] std::string user_find_db_path();
/// 5.2/5.7: SQLite <base>_1.1.0.udb; >= 6.2: text <base>.HIP.<version suffix>.udb.txt.
[[nodiscard]] std::string user_perf_db_path();
/// The find-db key of a problem (5.2 src/problem_description.cpp:47-91; develop
/// conv/problem_description.cpp).
[[nodiscard]] std::string find_db_key(const convprobe::Problem& p);

/// The user record for the problem (nullopt: no record, or the find-db is disabled). Logs the lookup.
[[nodiscard]] std::optional<std::vector<FindDbEntry>> load_record(const convprobe::Problem& p);
/// Replace the problem's record with these entries, in the release's value format.
void store_record(const convprobe::Problem& p, const std::vector<FindDbEntry>& entries);
/// MIOPEN_FIND_ENFORCE=SEARCH: the tuned configurations of the searched solvers go to the user perf-db.
void store_perf_db(const convprobe::Problem& p, const std::vector<uint64_t>& searched);

/// "miopenConvolutionFwdAlgoGEMM" and the like (MIOpen's ConvolutionAlgoToDirectionalString).
[[nodiscard]] std::string algo_name(int algo, convprobe::Direction d);

}  // namespace convprobe_double
