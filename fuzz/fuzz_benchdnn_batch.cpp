// libFuzzer target: benchdnn conv batch files, read_benchdnn_batch_text() (docs/problems.md, "From benchdnn
// batch files"). Every --batch=NAME loads the input itself under the origin NAME, so includes, their shared
// state and cycles are reached without files. The read ends (false only with a message); every problem is
// valid and has no runs, and the first thousand survive the descriptor round trip (a short input may stand
// for a hundred thousand problems: checking them all would only slow the search); every rejection names where
// and why.
#include <string>

#include "fuzz_check.hpp"
#include "sources/benchdnn_batch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = convprobe::fuzz::as_text(data, size);
  const convprobe::sources::BatchLoader load = [text](const std::string& name, const std::string&,
                                                      std::string* out, std::string* origin, std::string*) {
    *out = std::string(text);
    *origin = name;
    return true;
  };
  convprobe::sources::Tally tally;
  std::string err;
  if (!convprobe::sources::read_benchdnn_batch_text(text, "fuzz.batch", load, &tally, &err)) {
    FUZZ_CHECK(!err.empty(), "{:?} failed without a message", text);
  }
  for (size_t i = 0; i < tally.problems().size(); ++i) {
    const convprobe::Problem& p = tally.problems()[i];
    FUZZ_CHECK(validate(p).empty(), "{:?}: problem {:?} is invalid: {}", text, to_string(p), validate(p));
    if (i < 1000) convprobe::fuzz::check_round_trip(p, text);
    FUZZ_CHECK(p.runs == 0, "{:?}: problem {:?} has runs {}", text, to_string(p), p.runs);
    FUZZ_CHECK(!p.label.empty(), "{:?}: problem {:?} has no label", text, to_string(p));
  }
  for (const auto& r : tally.rejections()) {
    FUZZ_CHECK(!r.where.empty() && !r.why.empty(), "{:?}: rejection {:?}: {:?}", text, r.where, r.why);
  }
  (void)convprobe::sources::looks_like_benchdnn_batch(text);
  return 0;
}
