// The `policy` job: derive blocked and preferred candidates from stored verdicts (policy/policy_model.hpp)
// and write them in the format a framework or library reads (policy/emitters.hpp). The file goes to the
// output path or stdout; what was blocked and why goes to stderr.
#pragma once

#include <cstdint>
#include <string>

#include "jobs/write_finddb.hpp"

namespace convprobe {

struct PolicyJobOptions {
  std::string db_path;         ///< --db (empty: the default database); only read
  std::string emit;            ///< --emit: a row of the emitter table (policy/emitters.hpp)
  std::string output;          ///< -o: a path, "-" or empty for stdout
  double block_slower = 0;     ///< --block-slower (0: off)
  std::string backend;         ///< -b (empty: the only backend in the database)
  int64_t run_id = -1;         ///< --run (-1: every run)
  FindDbTargetOptions finddb;  ///< --finddb, --finddb-log, --dry-run, --json, --lock-timeout (miopen-finddb)
};

/// Throws UsageError for bad input (a format, a factor, a database without fitting trials) and
/// DbLocationError when there is no database.
/// False when the records MIOpen wrote are not all the chosen ones (--finddb-by miopen): exit 1.
[[nodiscard]] bool write_policy(const PolicyJobOptions& options);

}  // namespace convprobe
