// `policy --emit miopen-finddb` with a target: merge the records into MIOpen's user find-db. Which file: the
// one named (--finddb FILE), the one MIOpen's log names (--finddb-log LOG), or the one file of the runs'
// MIOpen version in MIOpen's user db folder (--finddb auto). The name must be a user find-db of that version:
// MIOpen reads no other file. The write itself (merge, backup, lock, rename) is vendor/miopen_finddb_write.
#pragma once

#include <string>

#include "policy/emit_miopen_finddb.hpp"

namespace convprobe {

struct FindDbTargetOptions {
  std::string finddb;          ///< --finddb: a path, or "auto"
  std::string finddb_log;      ///< --finddb-log: a MIOpen log written with MIOPEN_LOG_LEVEL=6
  bool dry_run = false;        ///< --dry-run: say what would change, change nothing
  bool json = false;           ///< --json: the report as a JSON document on stdout
  double lock_timeout_s = 10;  ///< --lock-timeout
  /// --finddb-by: "miopen" (MIOpen's own NORMAL Find writes each record, jobs/finddb_by_miopen.hpp),
  /// "convprobe" (convprobe merges the lines), or empty: MIOpen when its backend here is the runs' version.
  std::string by;
  [[nodiscard]] bool has_target() const { return !finddb.empty() || !finddb_log.empty(); }
};

/// Resolve the file, check its name, merge the decision's records into it and print the report on stdout
/// (text, or JSON with --json; without a target only the records and skips). Throws UsageError (exit 2) for
/// every bad input, the file then unchanged: no such file or several, a name of another MIOpen version, a
/// file that is no find-db, a folder that cannot be written, MIOpen's lock held past the timeout. False when
/// MIOpen wrote the records and one of them is not the chosen solver (or failed), or a line was lost.
bool write_finddb_target(const FindDbDecision& decision, const FindDbTargetOptions& options);

}  // namespace convprobe
