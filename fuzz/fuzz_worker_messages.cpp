// libFuzzer target, structure-aware: each line of the input is one message payload, framed correctly, so the
// fuzzer spends its time on what the supervisor does with a worker's JSON (hello, heartbeat, result,
// candidates, error) rather than on frame headers. Same properties as fuzz_protocol (protocol_check.hpp).
#include "protocol_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = convprobe::fuzz::as_text(data, size);
  std::string stream;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view payload = text.substr(pos, end - pos);
    stream.append(convprobe::protocol::kMagic, sizeof convprobe::protocol::kMagic);
    const auto length = static_cast<uint32_t>(payload.size());
    for (int i = 0; i < 4; ++i) stream.push_back(static_cast<char>((length >> (8 * i)) & 0xff));
    stream.append(payload);
    pos = end + 1;
  }
  convprobe::fuzz::check_stream(stream);
  return 0;
}
