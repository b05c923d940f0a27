// MIOpen's lock on a database file, taken the way MIOpen takes it, so that convprobe never rewrites a find-db
// while a MIOpen process reads or writes it.
//
// Facts (ROCm/MIOpen rocm-5.2.0 src/lock_file.cpp:45-66, develop 2d1fd99 src/lock_file.cpp:44-57):
//  - the lock is a separate file: <temp>/miopen-lockfiles/<md5 of the db file's parent path>_<db file
//  name>.lock,
//    the folder and file created when missing and opened to everyone (fs::all_all);
//  - <temp> is boost::filesystem::temp_directory_path() (5.2) or std::filesystem's (develop): the first of
//    $TMPDIR, $TMP, $TEMP, $TEMPDIR that is set, else /tmp;
//  - the parent path is boost's / std::filesystem's parent_path(): the path before the file name, trailing
//    '/' removed ("/h/.config/miopen//gfx906_64.HIP.2_9_0_x.ufdb.txt" -> "/h/.config/miopen");
//  - the lock is boost::interprocess::file_lock (lock_file.hpp:36): fcntl F_SETLK/F_SETLKW on the whole file,
//    F_WRLCK to write, F_RDLCK to read; MIOpen waits 60 s for it (5.2 db.cpp:85).
// convprobe takes an open-file-description lock (F_OFD_SETLK, Linux >= 3.15): it conflicts with MIOpen's
// process-owned fcntl locks in both directions, and, unlike those, is not dropped when another descriptor of
// the same file is closed.
#pragma once

#include <chrono>
#include <string>

#include "vendor/miopen_switches.hpp"

namespace convprobe::miopen {

/// The temp folder as MIOpen's filesystem library finds it (see above).
[[nodiscard]] std::string temp_folder(const EnvLookup& env);
/// The parent path of `db_path` as boost's parent_path() spells it (trailing separators removed, "/" kept).
[[nodiscard]] std::string parent_path_string(const std::string& db_path);
/// MIOpen's lock file for the database `db_path` (spelled as MIOpen spells it: the md5 is of that text).
[[nodiscard]] std::string lock_file_path(const std::string& db_path, const EnvLookup& env);

/// Holds MIOpen's exclusive lock on a database while alive.
class DbWriteLock {
 public:
  /// Creates the lock folder and file when missing (as MIOpen does) and waits up to `timeout` for the lock.
  /// Throws FindDbError naming the lock file on a timeout or when the lock file cannot be created.
  DbWriteLock(const std::string& lock_path, std::chrono::milliseconds timeout);
  ~DbWriteLock();
  DbWriteLock(const DbWriteLock&) = delete;
  DbWriteLock& operator=(const DbWriteLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace convprobe::miopen
