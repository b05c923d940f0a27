// libFuzzer target: MIOpenDriver command lines, parse_miopen_driver() (docs/problems.md). Every accepted line
// is a valid problem that survives the descriptor round trip, and parse_problem(), which routes driver lines
// to the same parser, reads it the same; every rejected line says why.
#include "fuzz_check.hpp"
#include "base/text.hpp"
#include "problem/miopen_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = convprobe::fuzz::as_text(data, size);
  convprobe::Problem p;
  std::string err;
  if (!convprobe::parse_miopen_driver(text, &p, &err)) {
    FUZZ_CHECK(!err.empty(), "{:?} was rejected without a message", text);
    return 0;
  }
  convprobe::fuzz::check_round_trip(p, text);
  if (convprobe::looks_like_miopen_driver(convprobe::trim(text))) {
    convprobe::Problem routed;
    FUZZ_CHECK(convprobe::parse_problem(text, &routed, &err), "{:?}: parse_problem rejects it: {}", text,
               err);
    FUZZ_CHECK(routed == p, "{:?}: parse_problem reads {:?}, the driver parser {:?}", text, to_string(routed),
               to_string(p));
  }
  return 0;
}
