#include "vendor/miopen_log.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace convprobe::miopen {

namespace {

constexpr std::string_view kLooking = "Looking for key ";
constexpr std::string_view kInFile = " in file ";
constexpr std::string_view kInCache = " in cache for file ";

}  // namespace

std::optional<DbLookup> parse_db_lookup(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const size_t at = line.find(kLooking);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view rest = line.substr(at + kLooking.size());
  // A key has no spaces, so the first " in ..." after it ends it.
  const size_t space = rest.find(' ');
  if (space == 0 || space == std::string_view::npos) return std::nullopt;
  const std::string_view tail = rest.substr(space);
  DbLookup out;
  out.key = std::string(rest.substr(0, space));
  if (tail.starts_with(kInFile)) {
    out.path = std::string(tail.substr(kInFile.size()));
  } else if (tail.starts_with(kInCache)) {
    out.path = std::string(tail.substr(kInCache.size()));
    out.cached = true;
  } else {
    return std::nullopt;
  }
  if (out.path.empty()) return std::nullopt;
  return out;
}

std::optional<UserFindDbLookups> user_finddb_from_log(std::string_view log, std::string* err) {
  UserFindDbLookups out;
  std::vector<std::string> other_paths;
  size_t start = 0;
  while (start < log.size()) {
    const size_t end = std::min(log.find('\n', start), log.size());
    const auto lookup = parse_db_lookup(log.substr(start, end - start));
    start = end + 1;
    if (!lookup || !lookup->path.ends_with(".ufdb.txt")) continue;
    if (out.path.empty()) out.path = lookup->path;
    if (lookup->path != out.path) {
      if (std::find(other_paths.begin(), other_paths.end(), lookup->path) == other_paths.end()) {
        other_paths.push_back(lookup->path);
      }
      continue;
    }
    if (std::find(out.keys.begin(), out.keys.end(), lookup->key) == out.keys.end())
      out.keys.push_back(lookup->key);
  }
  if (out.path.empty()) {
    *err =
        "the log has no line 'Looking for key <key> in file <path>.ufdb.txt': was it written with "
        "MIOPEN_LOG_LEVEL=6 by a program that ran a convolution (and without MIOPEN_DEBUG_DISABLE_FIND_DB)?";
    return std::nullopt;
  }
  if (!other_paths.empty()) {
    *err = fmt::format("the log names {} user find-db files ('{}', '{}'{}): name one with --finddb FILE",
                       other_paths.size() + 1, out.path, other_paths.front(),
                       other_paths.size() > 1 ? ", ..." : "");
    return std::nullopt;
  }
  return out;
}

}  // namespace convprobe::miopen
