// What MIOpen's own log says about its databases. With MIOPEN_LOG_LEVEL=6 MIOpen prints every lookup:
//   MIOpen(HIP): Info2 [FindRecordUnsafe] Looking for key <key> in file <path>        (5.2 db.cpp:150,
//                                                                                      develop db.cpp:147)
//   MIOpen(HIP): Info2 [FindRecord] Looking for key <key> in cache for file <path>    (find-db cache, default
//                                                  on: 5.2 ramdb.cpp:264, develop ramdb.cpp:259)
// That is the only reliable way to learn the user find-db's name from outside (its <base> and <tweak> parts
// cannot be computed), and the keys MIOpen printed check convprobe's key text against MIOpen's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace convprobe::miopen {

struct DbLookup {
  std::string key;
  std::string path;     ///< as MIOpen spells it (the lock file's name is derived from this spelling)
  bool cached = false;  ///< the "in cache for file" form
};

/// One log line's lookup, or nullopt when the line is no such line. The prefix before "Looking for key " is
/// not checked (it changed across versions: timestamps, thread ids); the path runs to the end of the line,
/// spaces included, without a trailing '\r'.
[[nodiscard]] std::optional<DbLookup> parse_db_lookup(std::string_view line);

/// What a whole log says about the user find-db: the one path ending in ".ufdb.txt" (system find-db
/// *.fdb.txt and perf-db lookups are skipped) and the keys looked up in it, in order, without repeats.
struct UserFindDbLookups {
  std::string path;
  std::vector<std::string> keys;
};
/// nullopt with *err when the log names no user find-db, or several different ones.
[[nodiscard]] std::optional<UserFindDbLookups> user_finddb_from_log(std::string_view log, std::string* err);

}  // namespace convprobe::miopen
