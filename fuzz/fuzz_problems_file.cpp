// libFuzzer target: problems files, parse_problems_text() (docs/problems.md: one descriptor or MIOpenDriver
// line per line, '#' comments). An error names the origin and the line; an accepted file, written again one
// canonical descriptor per line (as convprobe writes problems files), reads back as the same list.
#include <algorithm>
#include <vector>

#include "fuzz_check.hpp"

namespace {

constexpr const char* kOrigin = "fuzz.problems";

/// "fuzz.problems:N: " with N between 1 and the number of lines.
bool names_origin_and_line(const std::string& err, std::string_view text) {
  const std::string prefix = std::string(kOrigin) + ":";
  if (err.rfind(prefix, 0) != 0) return false;
  size_t pos = prefix.size();
  uint64_t line = 0;
  while (pos < err.size() && err[pos] >= '0' && err[pos] <= '9' && line < (uint64_t{1} << 40))
    line = line * 10 + static_cast<uint64_t>(err[pos++] - '0');
  const auto lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  return pos < err.size() && err[pos] == ':' && line >= 1 && line <= lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = convprobe::fuzz::as_text(data, size);
  std::vector<convprobe::Problem> problems;
  std::string err;
  if (!convprobe::parse_problems_text(text, kOrigin, &problems, &err)) {
    FUZZ_CHECK(names_origin_and_line(err, text), "{:?}: the error does not name {}:LINE: {:?}", text, kOrigin,
               err);
    return 0;
  }
  std::string rewritten;
  for (const auto& p : problems) rewritten += to_string(p) + "\n";
  std::vector<convprobe::Problem> back;
  FUZZ_CHECK(convprobe::parse_problems_text(rewritten, kOrigin, &back, &err),
             "{:?} rewritten as {:?} does not read back: {}", text, rewritten, err);
  FUZZ_CHECK(back.size() == problems.size(), "{:?}: {} problems read back as {}", text, problems.size(),
             back.size());
  for (size_t i = 0; i < back.size(); ++i) {
    FUZZ_CHECK(back[i] == problems[i] && to_string(back[i]) == to_string(problems[i]),
               "{:?}: problem {} {:?} read back as {:?}", text, i + 1, to_string(problems[i]),
               to_string(back[i]));
  }
  return 0;
}
