// libFuzzer target: the problem descriptor parser, parse_problem() (docs/problems.md). Every accepted text is
// a valid problem that survives parse(print(p)) == p; every rejected text says why.
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = convprobe::fuzz::as_text(data, size);
  convprobe::Problem p;
  std::string err;
  if (!convprobe::parse_problem(text, &p, &err)) {
    FUZZ_CHECK(!err.empty(), "{:?} was rejected without a message", text);
    return 0;
  }
  convprobe::fuzz::check_round_trip(p, text);
  return 0;
}
