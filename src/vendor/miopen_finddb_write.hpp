// Writing records into MIOpen's user find-db without losing anyone's: merged line by line
// (vendor/miopen_finddb_file.hpp), the old file backed up first, the new one written beside it and renamed
// over it, all under MIOpen's own lock (vendor/miopen_lock.hpp). Whoever chose the records calls this:
// `policy --emit miopen-finddb` today, a step that lets MIOpen measure them later.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "vendor/miopen_finddb.hpp"
#include "vendor/miopen_finddb_file.hpp"
#include "vendor/miopen_switches.hpp"

namespace convprobe::miopen {

struct FindDbWriteOptions {
  /// How long to wait for MIOpen's lock (MIOpen itself waits 60 s).
  std::chrono::milliseconds lock_timeout{10000};
  /// Read and merge, report what would change; take no lock, write nothing.
  bool dry_run = false;
  /// Where the lock folder is ($TMPDIR and friends).
  EnvLookup env = process_env();
  /// The backup's time stamp (UTC, "20261205T101500Z"); empty: now. Tests fix it.
  std::string backup_stamp;
};

struct FindDbWriteReport {
  std::string path;
  std::string lock_path;
  std::string backup_path;            ///< the copy of the old file; empty when none was made
  bool existed = false;               ///< there was a file before
  bool written = false;               ///< false for a dry run, or when every record was already there
  std::vector<RecordChange> changes;  ///< per record, in the order given
  std::vector<std::string> replaced;  ///< per record: the line it replaced (empty when added)
  size_t kept_lines = 0;              ///< lines of the old file kept byte for byte
};

/// Merge `records` (distinct keys) into the find-db at `path`, in `format`. Before the file changes, its old
/// content is copied to <path>.convprobe-backup-<UTC stamp>[-N] (a new name, never an existing file); the
/// new content goes to a temporary file in the same folder, is flushed to disk and renamed over `path`.
/// A missing folder is created; a `path` that is a symbolic link is updated where it points (the backup goes
/// beside that file). With no record and no file, nothing is created. Throws FindDbError, with `path`
/// unchanged, when the folder cannot be written, the file is not a text find-db (binary, e.g. an SQLite
/// perf-db), or the lock stays taken.
FindDbWriteReport write_finddb(const std::string& path, const std::vector<FindDbRecord>& records,
                               FindDbFormat format, const FindDbWriteOptions& options);

/// A copy of the find-db taken before someone else (MIOpen itself) writes into it.
struct FindDbBackup {
  std::string path;   ///< <path>.convprobe-backup-<stamp>[-N]; empty when there was no file
  std::string bytes;  ///< the old content
};
/// Copy the find-db at `path` to a new backup name, under MIOpen's lock (so no MIOpen writes meanwhile);
/// nothing when there is no file. Throws FindDbError like write_finddb.
FindDbBackup backup_finddb(const std::string& path, const FindDbWriteOptions& options);

/// The current UTC time as a backup stamp, "20261205T101500Z".
[[nodiscard]] std::string utc_stamp();

}  // namespace convprobe::miopen
