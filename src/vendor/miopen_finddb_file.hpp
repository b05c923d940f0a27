// MIOpen's user find-db as a file: where it is, what it is called, how MIOpen reads its lines, and how
// convprobe merges records into it without losing a byte of anyone else's. No I/O here but listing a folder
// (choose_user_finddb); the write itself, with backup and lock, is vendor/miopen_finddb_write.hpp.
//
// Facts (ROCm/MIOpen rocm-5.2.0 and develop 2d1fd99):
//  - file: <user db dir>/<base>.HIP.<major>_<minor>_<patch>_<tweak>[.<suffix>].ufdb.txt (5.2
//  find_db.cpp:211-214,
//    CMakeLists.txt:412; develop find_db.cpp:216-220 adds the optional suffix); <base> is the device's DbId
//    and CU count, <tweak> a git hash: neither can be computed reliably from outside, so convprobe reads the
//    name from the folder or from MIOpen's log (vendor/miopen_log.hpp), never builds it;
//  - user db dir: $MIOPEN_USER_DB_PATH, else ~/.config/miopen/, '~' replaced by $HOME (5.2 db_path.cpp.in
//    PrepareUserDbPath, expanduser.cpp:10-23: HOME unset, empty or "/" means /tmp);
//  - a line is a record when it has a '=' past its first byte; the key is what precedes the first '='; MIOpen
//    uses the first line with the key and skips ill-formed lines (5.2 db.cpp:163-200).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "vendor/miopen_finddb.hpp"
#include "vendor/miopen_switches.hpp"

namespace convprobe::miopen {

/// One line of a find-db file.
struct FindDbLine {
  std::string_view text;  ///< the line without its '\n'
  std::string_view key;   ///< empty: not a record (MIOpen logs "Ill-formed record" and skips it)
  bool has_newline = false;
};
/// The file's lines as MIOpen reads them (views into `file`); joining text + '\n' where has_newline gives
/// the file back byte for byte.
[[nodiscard]] std::vector<FindDbLine> split_finddb_lines(std::string_view file);
/// The key of a line as MIOpen finds it: what precedes the first '=', or empty.
[[nodiscard]] std::string_view finddb_line_key(std::string_view line);

/// Does `key` have the shape of a convolution find-db key ("...-NCHW-FP32-F", "..._g2")? For telling a
/// find-db apart from other text files, not for validating a key.
[[nodiscard]] bool looks_like_finddb_key(std::string_view key);
/// A text whose non-empty lines are all find-db records (at least one): what `policy --emit miopen-finddb`
/// prints, or a user find-db.
[[nodiscard]] bool looks_like_finddb(std::string_view text);

enum class RecordChange { added, replaced, unchanged };
[[nodiscard]] std::string_view to_string(RecordChange c);  ///< "added", "replaced", "unchanged"

struct MergedFindDb {
  std::string text;                   ///< the new file
  std::vector<RecordChange> changes;  ///< per record, in the order given
  std::vector<std::string> replaced;  ///< per record: the line it replaced (empty when added)
  size_t kept_lines = 0;              ///< lines of the old file kept byte for byte
};
/// `existing` with `lines` (key=value each, keys distinct) merged in: the first line holding a record's key
/// is replaced (the one MIOpen reads), records with new keys are appended in the order given, and every
/// other line (other records, later duplicates, ill-formed lines, anything) is kept byte for byte. A last
/// line without a line end gets one before an appended record. Throws std::invalid_argument for a line
/// without a key or two lines with one key.
[[nodiscard]] MergedFindDb merge_finddb(std::string_view existing, const std::vector<std::string>& lines);

/// The parts of a user find-db file name.
struct UserFindDbName {
  std::string base;  ///< "gfx906_64"
  Version version;
  std::string tweak;  ///< git hash part, e.g. "8252-26-64506314", "b3811300ed-dirty"; may be empty
};
/// "gfx906_64.HIP.2_9_0_8252-26-64506314.ufdb.txt" -> its parts; false for any other name.
bool parse_user_finddb_name(std::string_view file_name, UserFindDbName* out);

/// MIOpen's user db folder as MIOpen spells it (the string it hashes for the lock name).
[[nodiscard]] std::string user_db_dir(const EnvLookup& env);

/// The one user find-db for `version` in `dir` (backups and other versions ignored). nullopt with *err
/// naming the folder, what was found and how to give the path instead.
/// The names of the user find-db files of MIOpen `version` in `dir`, sorted; *ec when the folder cannot be
/// listed (a folder that does not exist yet holds none).
[[nodiscard]] std::vector<std::string> user_finddbs_in(const std::string& dir, const Version& version,
                                                       std::error_code* ec);
[[nodiscard]] std::optional<std::string> choose_user_finddb(const std::string& dir, const Version& version,
                                                            std::string* err);

}  // namespace convprobe::miopen
