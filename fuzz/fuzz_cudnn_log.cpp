// libFuzzer target: cuDNN API logs, CudnnLogReader (docs/problems.md, "From a cuDNN API log"). Every problem
// read is valid and survives the descriptor round trip, is labelled with a line of the input that exists, and
// has no more runs than the input has lines; every rejection names such a line and says why; and the same
// log with CRLF line ends reads the same.
#include <algorithm>

#include "fuzz_check.hpp"
#include "sources/cudnn_log.hpp"

namespace {

constexpr const char* kOrigin = "fuzz.log";

convprobe::sources::Tally read(std::string_view text, std::string_view line_end) {
  convprobe::sources::Tally tally;
  convprobe::sources::CudnnLogReader reader(kOrigin, &tally);
  std::string line;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    line.assign(text.substr(0, end));
    line += line_end;
    reader.feed_line(line);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  reader.finish();
  return tally;
}

/// "fuzz.log:N" with 1 <= N <= lines.
bool names_a_line(const std::string& where, int64_t lines) {
  const std::string prefix = std::string(kOrigin) + ":";
  if (!where.starts_with(prefix) || where.size() == prefix.size() || where.size() > prefix.size() + 19)
    return false;
  int64_t n = 0;
  for (char c : where.substr(prefix.size())) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  return n >= 1 && n <= lines;
}

bool same_problems(const convprobe::sources::Tally& a, const convprobe::sources::Tally& b) {
  if (a.problems().size() != b.problems().size()) return false;
  for (size_t i = 0; i < a.problems().size(); ++i) {
    const auto& p = a.problems()[i];
    const auto& q = b.problems()[i];
    if (!(p == q) || p.label != q.label || p.runs != q.runs) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = convprobe::fuzz::as_text(data, size);
  (void)convprobe::sources::looks_like_cudnn_log(text);
  const int64_t lines = static_cast<int64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  const auto tally = read(text, "");
  for (const auto& p : tally.problems()) {
    convprobe::fuzz::check_round_trip(p, text);
    FUZZ_CHECK(names_a_line(p.label, lines), "{:?}: problem {:?} is labelled {:?}, not a line of the input",
               text, to_string(p), p.label);
    FUZZ_CHECK(p.runs >= 0 && p.runs <= lines, "{:?}: problem {:?} ran {} times in {} lines", text,
               to_string(p), p.runs, lines);
  }
  for (const auto& r : tally.rejections()) {
    FUZZ_CHECK(names_a_line(r.where, lines), "{:?}: a rejection names {:?}, not a line of the input", text,
               r.where);
    FUZZ_CHECK(!r.why.empty(), "{:?}: {} was rejected without a reason", text, r.where);
  }
  // A trailing '\r' is tolerated: the CRLF log reads the same (a '\r' already there stays part of the line).
  if (text.find('\r') == std::string_view::npos) {
    const auto crlf = read(text, "\r");
    FUZZ_CHECK(same_problems(crlf, tally), "{:?}: CRLF line ends change the problems", text);
    FUZZ_CHECK(crlf.rejections().size() == tally.rejections().size(),
               "{:?}: CRLF line ends change the rejections", text);
    FUZZ_CHECK(crlf.skipped() == tally.skipped() && crlf.warnings() == tally.warnings(),
               "{:?}: CRLF line ends change the skips or warnings", text);
  }
  return 0;
}
