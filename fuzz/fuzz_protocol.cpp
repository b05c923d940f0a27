// libFuzzer target: the worker protocol's frame decoders on raw bytes ("CPV1" + uint32 length + JSON, see
// src/worker/protocol.hpp), and what the supervisor does with each decoded message (protocol_check.hpp).
#include "protocol_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  convprobe::fuzz::check_stream(convprobe::fuzz::as_text(data, size));
  return 0;
}
