// The one rule for finding and opening the results database, used by every command (docs/store.md):
// commands that write (sweep, run, bisect) call open_results_for_writing, commands that only read (results,
// policy, verify) call open_results_for_reading. Before these, the database was opened five ways with five
// behaviours (bisect could not create the default folder; a missing file was exit 1 in one command and 2 in
// another).
#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"

namespace convprobe {

/// The database cannot be used where it was named: a reader was pointed at a file that does not exist, or a
/// writer at a folder that does not exist. It is bad input, not a broken database (the CLI exits 2), and
/// nothing was created.
class DbLocationError : public StoreError {
 public:
  using StoreError::StoreError;
};

/// Where the results database is, and why there (messages say both).
struct DbLocation {
  enum class Source {
    option,    ///< --db FILE
    env,       ///< $CONVPROBE_DB
    xdg_data,  ///< $XDG_DATA_HOME/convprobe/results.db
    home,      ///< ~/.local/share/convprobe/results.db
  };
  std::string path;
  Source source = Source::option;

  /// "given with --db", "from $CONVPROBE_DB", "the default location under $XDG_DATA_HOME", ...
  [[nodiscard]] std::string why() const;
  /// The default locations end in a folder convprobe named (`convprobe/`), so convprobe may create it. A
  /// path the user named (--db, $CONVPROBE_DB) is taken as given: a missing folder there is most likely a
  /// typo, and creating it would hide that.
  [[nodiscard]] bool folder_is_ours() const { return source == Source::xdg_data || source == Source::home; }
};

/// `path_given` (a command's --db) when not empty, else $CONVPROBE_DB, else $XDG_DATA_HOME/convprobe/
/// results.db (an absolute XDG_DATA_HOME only, as the XDG spec says), else
/// ~/.local/share/convprobe/results.db.
[[nodiscard]] DbLocation locate_results_db(const std::string& path_given);

/// For commands that store trials. Opens the database, creating the file (and, at a default location, its
/// folder) when missing. A missing folder of a path the user named throws DbLocationError naming it.
/// Other refusals (locked, corrupt, foreign, newer schema) throw StoreError, the file untouched.
[[nodiscard]] std::unique_ptr<Store> open_results_for_writing(const std::string& path_given);

/// For commands that only read. Opens the database read-only: never creates, migrates or writes it. A
/// missing file throws DbLocationError with missing_results_db_message().
[[nodiscard]] std::unique_ptr<Store> open_results_for_reading(const std::string& path_given);

/// "no results database at PATH (WHY); create it by storing results there, e.g. `convprobe sweep ...`": the
/// one message every reading command gives for a missing file.
[[nodiscard]] std::string missing_results_db_message(const DbLocation& where);

}  // namespace convprobe
