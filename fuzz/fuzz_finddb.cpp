// libFuzzer target: MIOpen's user find-db text and MIOpen's log (vendor/miopen_finddb_file.hpp,
// vendor/miopen_log.hpp), the two things `policy --emit miopen-finddb` reads from a user's machine. The lines
// put back together are the input, byte for byte; merging no record changes nothing; merging a record keeps
// every other line, makes the record the line MIOpen reads, and is idempotent; a lookup parsed from a log
// line has a key without spaces and a path; whatever a file name parses into prints back.
#include <algorithm>

#include "fuzz_check.hpp"
#include "vendor/miopen_finddb_file.hpp"
#include "vendor/miopen_log.hpp"

namespace {

using namespace convprobe::miopen;

void check_lines(std::string_view text) {
  std::string joined;
  size_t records = 0;
  for (const FindDbLine& line : split_finddb_lines(text)) {
    joined.append(line.text);
    if (line.has_newline) joined += '\n';
    FUZZ_CHECK(line.text.find('\n') == std::string_view::npos, "a line holds a line end");
    records += !line.key.empty();
  }
  FUZZ_CHECK(joined == text, "the lines of {:?} join into {:?}", text, joined);
  FUZZ_CHECK(merge_finddb(text, {}).text == text, "merging nothing into {:?} changed it", text);
  (void)looks_like_finddb(text);
  (void)records;
}

/// Merge a record keyed like the first line (a replacement when it is a record) and a fixed one (an addition
/// or a replacement), then check the result as MIOpen would read it.
void check_merge(std::string_view text) {
  const auto lines = split_finddb_lines(text);
  std::vector<std::string> ours = {"3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-F=a:b,1,0,c,<unused>"};
  if (!lines.empty() && !lines[0].key.empty() && lines[0].key != finddb_line_key(ours[0])) {
    ours.push_back(std::string(lines[0].key) + "=convprobe:1,0,x");
  }
  const MergedFindDb merged = merge_finddb(text, ours);
  for (const std::string& line : ours) {
    const std::string_view key = finddb_line_key(line);
    for (const FindDbLine& l : split_finddb_lines(merged.text)) {
      if (l.key != key) continue;
      FUZZ_CHECK(l.text == line, "{:?}: MIOpen reads {:?} for {:?}, not ours", text, l.text, key);
      break;
    }
  }
  size_t other = 0;
  for (const FindDbLine& l : lines)
    other += l.key.empty() || std::find_if(ours.begin(), ours.end(), [&](const std::string& o) {
                                return finddb_line_key(o) == l.key;
                              }) == ours.end();
  FUZZ_CHECK(merged.kept_lines >= other, "{:?}: {} foreign lines, {} kept", text, other, merged.kept_lines);
  const MergedFindDb again = merge_finddb(merged.text, ours);
  FUZZ_CHECK(again.text == merged.text, "merging {:?} twice is not idempotent", text);
}

void check_log(std::string_view text) {
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    if (const auto lookup = parse_db_lookup(text.substr(start, end - start))) {
      FUZZ_CHECK(!lookup->key.empty() && lookup->key.find(' ') == std::string::npos, "key {:?}", lookup->key);
      FUZZ_CHECK(!lookup->path.empty(), "a lookup without a path in {:?}", text);
    }
    start = end + 1;
  }
  std::string err;
  const auto found = user_finddb_from_log(text, &err);
  FUZZ_CHECK(found || !err.empty(), "{:?} was rejected without a message", text);
  if (found) FUZZ_CHECK(found->path.ends_with(".ufdb.txt"), "{:?} is no user find-db", found->path);
}

void check_name(std::string_view text) {
  UserFindDbName name;
  if (!parse_user_finddb_name(text, &name)) return;
  FUZZ_CHECK(!name.base.empty(), "{:?}: empty base", text);
  FUZZ_CHECK(name.version.major >= 0 && name.version.minor >= 0 && name.version.patch >= 0, "{:?}", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = convprobe::fuzz::as_text(data, size);
  check_lines(text);
  check_merge(text);
  check_log(text);
  check_name(text);
  return 0;
}
