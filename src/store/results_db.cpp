#include "store/results_db.hpp"

#include <fmt/core.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "core/shell_quote.hpp"

namespace convprobe {

namespace {

std::string env_value(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string home_dir() {
  std::string home = env_value("HOME");
  if (home.empty()) {
    if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir) home = pw->pw_dir;
  }
  return home.empty() ? std::string(".") : home;
}

/// How to name this location again on a command line: `--db PATH` when it was given that way; nothing when
/// the environment or the default finds it anyway.
std::string db_argument(const DbLocation& where) {
  return where.source == DbLocation::Source::option ? " --db " + shell_quote(where.path) : std::string();
}

/// What a user can do about a folder that does not exist under a path they named.
std::string missing_folder_remedy(const DbLocation& where) {
  return where.source == DbLocation::Source::env ? "create it first, or unset CONVPROBE_DB to use the default"
                                                 : "create it first, or leave out --db to use the default";
}

/// A writer's file will be created: its folder must exist, or be created when convprobe chose it.
void prepare_folder_for_writing(const DbLocation& where) {
  namespace fs = std::filesystem;
  const fs::path folder = fs::path(where.path).parent_path();
  std::error_code ec;
  if (folder.empty() || fs::is_directory(folder, ec)) return;
  if (!where.folder_is_ours()) {
    throw DbLocationError(fmt::format(
        "cannot create results database {} ({}): directory {} does not exist; {} (convprobe creates only "
        "its default folder)",
        where.path, where.why(), folder.string(), missing_folder_remedy(where)));
  }
  fs::create_directories(folder, ec);
  if (ec) {
    throw StoreError(fmt::format("cannot create directory {} for results database {}: {}", folder.string(),
                                 where.path, ec.message()));
  }
}

}  // namespace

std::string DbLocation::why() const {
  switch (source) {
    case Source::option:
      return "given with --db";
    case Source::env:
      return "from $CONVPROBE_DB";
    case Source::xdg_data:
      return "the default location under $XDG_DATA_HOME";
    case Source::home:
      return "the default location";
  }
  return "";
}

DbLocation locate_results_db(const std::string& path_given) {
  if (!path_given.empty()) return {path_given, DbLocation::Source::option};
  if (std::string db = env_value("CONVPROBE_DB"); !db.empty()) return {db, DbLocation::Source::env};
  // XDG Base Directory: a relative XDG_DATA_HOME is invalid and must be ignored.
  if (std::string xdg = env_value("XDG_DATA_HOME"); !xdg.empty() && xdg.front() == '/') {
    return {xdg + "/convprobe/results.db", DbLocation::Source::xdg_data};
  }
  return {home_dir() + "/.local/share/convprobe/results.db", DbLocation::Source::home};
}

std::string default_db_path() { return locate_results_db("").path; }

std::string missing_results_db_message(const DbLocation& where) {
  return fmt::format(
      "no results database at {} ({}); create it by storing results there, e.g. `convprobe sweep --preset "
      "gfx1010-quick -b onednn{}` (or run, bisect)",
      where.path, where.why(), db_argument(where));
}

std::unique_ptr<Store> open_results_for_writing(const std::string& path_given) {
  const DbLocation where = locate_results_db(path_given);
  prepare_folder_for_writing(where);
  return Store::open(where.path);
}

std::unique_ptr<Store> open_results_for_reading(const std::string& path_given) {
  const DbLocation where = locate_results_db(path_given);
  std::error_code ec;
  if (!std::filesystem::exists(where.path, ec)) {
    throw DbLocationError(missing_results_db_message(where));
  }
  StoreOptions options;
  options.read_only = true;
  return Store::open(where.path, options);
}

}  // namespace convprobe
