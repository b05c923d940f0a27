// libFuzzer target: MIOpen command logs and MIOpenDriver command files, MiopenLogReader (docs/problems.md,
// "From MIOpen's command log"), fed a line at a time as capture feeds a program's stderr. Every problem is
// valid and survives the descriptor round trip; runs come only from execution lines, at most one per line;
// every label and rejection names "fuzz.log:N" with N a line of the input, every rejection says why; and
// input that looks_like_miopen_log() or looks_like_miopen_driver_commands() gives at least one record.
#include <string>
#include <vector>

#include "base/text.hpp"
#include "fuzz_check.hpp"
#include "sources/miopen_command_log.hpp"

namespace {

constexpr std::string_view kOrigin = "fuzz.log";

/// "fuzz.log:N" with N between 1 and `lines`.
bool names_a_line(const std::string& where, size_t lines) {
  if (!where.starts_with(std::string(kOrigin) + ":")) return false;
  const std::string digits = where.substr(kOrigin.size() + 1);
  if (digits.empty() || digits.size() > 12 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  const uint64_t n = std::stoull(digits);
  return n >= 1 && n <= lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = convprobe::fuzz::as_text(data, size);
  const std::vector<std::string_view> lines = convprobe::split_list(text, '\n');
  convprobe::sources::Tally tally;
  convprobe::sources::MiopenLogReader reader(std::string(kOrigin), &tally);
  for (std::string_view line : lines) reader.feed_line(line);
  reader.finish();

  for (const auto& p : tally.problems()) {
    convprobe::fuzz::check_round_trip(p, text);
    FUZZ_CHECK(names_a_line(p.label, lines.size()), "{:?}: problem {:?} has label {:?}", text, to_string(p),
               p.label);
    FUZZ_CHECK(p.runs >= 0, "{:?}: problem {:?} has runs {}", text, to_string(p), p.runs);
  }
  FUZZ_CHECK(tally.total_runs() <= static_cast<int64_t>(lines.size()), "{:?}: {} runs from {} lines", text,
             tally.total_runs(), lines.size());
  for (const auto& r : tally.rejections()) {
    FUZZ_CHECK(names_a_line(r.where, lines.size()) && !r.why.empty(), "{:?}: rejection {:?}: {:?}", text,
               r.where, r.why);
  }
  const bool recorded = !tally.problems().empty() || !tally.rejections().empty() || !tally.skipped().empty();
  FUZZ_CHECK(recorded || !convprobe::sources::looks_like_miopen_log(text),
             "{:?} looks like a log, gave nothing", text);
  FUZZ_CHECK(recorded || !convprobe::sources::looks_like_miopen_driver_commands(text),
             "{:?} looks like a command file, gave nothing", text);
  return 0;
}
