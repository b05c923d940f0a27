#include "vendor/miopen_finddb_file.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <system_error>

#include "base/text.hpp"

namespace convprobe::miopen {

namespace {

constexpr std::string_view kHip = ".HIP.";
constexpr std::string_view kUserFindDbEnd = ".ufdb.txt";

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool to_int(std::string_view s, int* out) {
  if (!all_digits(s) || s.size() > 6) return false;
  return std::from_chars(s.data(), s.data() + s.size(), *out).ec == std::errc();
}

/// "<major>_<minor>_<patch>[_<tweak>]" (the part before an optional ".<suffix>").
bool parse_version_part(std::string_view s, UserFindDbName* out) {
  const size_t a = s.find('_');
  const size_t b = a == std::string_view::npos ? a : s.find('_', a + 1);
  if (b == std::string_view::npos) return false;
  const size_t c = s.find('_', b + 1);
  int major = 0, minor = 0, patch = 0;
  if (!to_int(s.substr(0, a), &major) || !to_int(s.substr(a + 1, b - a - 1), &minor) ||
      !to_int(s.substr(b + 1, c == std::string_view::npos ? c : c - b - 1), &patch)) {
    return false;
  }
  out->version = Version{major, minor, patch};
  out->tweak = c == std::string_view::npos ? std::string() : std::string(s.substr(c + 1));
  return true;
}

}  // namespace

std::string_view finddb_line_key(std::string_view line) {
  const size_t eq = line.find('=');
  return eq == std::string_view::npos || eq == 0 ? std::string_view() : line.substr(0, eq);
}

std::vector<FindDbLine> split_finddb_lines(std::string_view file) {
  std::vector<FindDbLine> lines;
  size_t start = 0;
  while (start < file.size()) {
    const size_t end = file.find('\n', start);
    FindDbLine line;
    line.has_newline = end != std::string_view::npos;
    line.text = file.substr(start, (line.has_newline ? end : file.size()) - start);
    line.key = finddb_line_key(line.text);
    lines.push_back(line);
    start = line.has_newline ? end + 1 : file.size();
  }
  return lines;
}

bool looks_like_finddb_key(std::string_view key) {
  // <numbers and x, '-'-separated>-<LAYOUT>[-<LAYOUT>-<LAYOUT>]-<TYPE>-<F|B|W>[_<optional parts>]
  key = key.substr(0, key.find('_'));
  if (key.size() < 3 || key[key.size() - 2] != '-') return false;
  const char dir = key.back();
  if (dir != 'F' && dir != 'B' && dir != 'W') return false;
  for (std::string_view layout : {"-NCHW-", "-NHWC-", "-NCDHW-", "-NDHWC-"}) {
    const size_t at = key.find(layout);
    if (at == std::string_view::npos || at == 0) continue;
    const std::string_view dims = key.substr(0, at);
    return std::all_of(dims.begin(), dims.end(),
                       [](char c) { return (c >= '0' && c <= '9') || c == 'x' || c == '-'; });
  }
  return false;
}

bool looks_like_finddb(std::string_view text) {
  bool any = false;
  for (const FindDbLine& line : split_finddb_lines(text)) {
    if (trim(line.text).empty()) continue;
    if (!looks_like_finddb_key(line.key)) return false;
    any = true;
  }
  return any;
}

std::string_view to_string(RecordChange c) {
  switch (c) {
    case RecordChange::added:
      return "added";
    case RecordChange::replaced:
      return "replaced";
    case RecordChange::unchanged:
      return "unchanged";
  }
  return {};
}

MergedFindDb merge_finddb(std::string_view existing, const std::vector<std::string>& lines) {
  std::map<std::string_view, size_t> wanted;  // key -> index into lines
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string_view key = finddb_line_key(lines[i]);
    if (key.empty()) throw std::invalid_argument(fmt::format("find-db line '{}' has no key", lines[i]));
    if (!wanted.emplace(key, i).second) {
      throw std::invalid_argument(fmt::format("two find-db records for the key '{}'", key));
    }
  }
  MergedFindDb out;
  out.changes.assign(lines.size(), RecordChange::added);
  out.replaced.assign(lines.size(), std::string());
  std::set<size_t> placed;
  for (const FindDbLine& line : split_finddb_lines(existing)) {
    const auto it = line.key.empty() ? wanted.end() : wanted.find(line.key);
    if (it == wanted.end() ||
        placed.count(it->second)) {  // not ours, or a later duplicate MIOpen never reads
      out.text += line.text;
      ++out.kept_lines;
    } else {
      const size_t i = it->second;
      placed.insert(i);
      out.changes[i] = line.text == lines[i] ? RecordChange::unchanged : RecordChange::replaced;
      out.replaced[i] = std::string(line.text);
      out.text += lines[i];
    }
    if (line.has_newline) out.text += '\n';
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    if (placed.count(i)) continue;
    if (!out.text.empty() && out.text.back() != '\n') out.text += '\n';
    out.text += lines[i] + "\n";
  }
  return out;
}

bool parse_user_finddb_name(std::string_view name, UserFindDbName* out) {
  if (name.size() <= kUserFindDbEnd.size() || !name.ends_with(kUserFindDbEnd)) return false;
  name.remove_suffix(kUserFindDbEnd.size());
  const size_t hip = name.find(kHip);
  if (hip == std::string_view::npos || hip == 0) return false;
  UserFindDbName parsed;
  parsed.base = std::string(name.substr(0, hip));
  std::string_view rest = name.substr(hip + kHip.size());
  rest = rest.substr(0, rest.find('.'));  // develop's optional ".<path_suffix>" (find_db.cpp:216-220)
  if (!parse_version_part(rest, &parsed)) return false;
  *out = std::move(parsed);
  return true;
}

std::string user_db_dir(const EnvLookup& env) {
  std::string dir = env("MIOPEN_USER_DB_PATH").value_or("~/.config/miopen/");
  std::string home = env("HOME").value_or("");
  if (home.empty() || home == "/") home = "/tmp";  // expanduser.cpp:13-20
  for (size_t at = dir.find('~'); at != std::string::npos; at = dir.find('~', at + home.size())) {
    dir.replace(at, 1, home);
  }
  return dir;
}

std::vector<std::string> user_finddbs_in(const std::string& dir, const Version& version,
                                         std::error_code* ec) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator(dir, *ec)) {
    UserFindDbName name;
    const std::string file = entry.path().filename().string();
    if (parse_user_finddb_name(file, &name) && name.version == version) found.push_back(file);
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::optional<std::string> choose_user_finddb(const std::string& dir, const Version& version,
                                              std::string* err) {
  const std::string how =
      "run the program once with MIOPEN_LOG_LEVEL=6 and pass its log with --finddb-log LOG (MIOpen prints "
      "'Looking for key ... in file <path>'), or name the file with --finddb FILE";
  std::error_code ec;
  const std::vector<std::string> found = user_finddbs_in(dir, version, &ec);
  if (ec) {
    *err = fmt::format("cannot list MIOpen's user db folder '{}' ({}): {}", dir, ec.message(), how);
    return std::nullopt;
  }
  if (found.size() != 1) {
    *err = fmt::format("{} user find-db file(s) *.HIP.{}_{}_{}_*.ufdb.txt for MIOpen {} in '{}'{}: {}",
                       found.empty() ? "no" : std::to_string(found.size()), version.major, version.minor,
                       version.patch, version.to_string(), dir,
                       found.empty() ? "" : " (" + join(found, ", ") + ")", how);
    return std::nullopt;
  }
  return dir + (dir.ends_with('/') ? "" : "/") + found.front();
}

}  // namespace convprobe::miopen
