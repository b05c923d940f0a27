// The properties of the worker protocol's decoders, shared by the two protocol targets: the supervisor's
// FrameDecoder gives the same messages and the same end whether the bytes come whole or in chunks; the
// worker's read_frame decodes the same messages from a pipe; and every decoded message goes through what the
// supervisor does with it (supervisor_model.hpp).
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "worker/protocol.hpp"
#include "supervisor_model.hpp"

namespace convprobe::fuzz {

struct Decoded {
  std::vector<std::string> messages;  ///< each dumped
  bool error = false;
  size_t left = 0;  ///< bytes buffered at the end (no error)
};

/// Feeds `bytes` to a FrameDecoder in chunks of `chunk` bytes (0: whole), taking messages out after each.
inline Decoded decode(std::string_view bytes, size_t chunk, SupervisorModel* model) {
  protocol::FrameDecoder decoder;
  Decoded out;
  bool dropped = false;
  size_t pos = 0;
  do {
    const size_t n = chunk == 0 ? bytes.size() : std::min(chunk, bytes.size() - pos);
    decoder.append(bytes.data() + pos, n);
    pos += n;
    nlohmann::json message;
    std::string err;
    for (;;) {
      const auto status = decoder.next(&message, &err);
      if (status == protocol::FrameDecoder::Status::need_more) break;
      if (status == protocol::FrameDecoder::Status::error) {
        FUZZ_CHECK(!err.empty(), "a decoder error without a message");
        out.error = true;
        return out;
      }
      out.messages.push_back(message.dump());
      if (model != nullptr && !dropped) dropped = !model->take(message);
    }
  } while (pos < bytes.size());
  out.left = decoder.buffered();
  return out;
}

/// read_frame over a pipe holding `bytes` (small inputs only: the pipe must hold them all).
inline Decoded read_frames(std::string_view bytes) {
  int fds[2];
  FUZZ_CHECK(pipe2(fds, O_CLOEXEC) == 0, "pipe2 failed");
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fds[1], bytes.data() + done, bytes.size() - done);
    FUZZ_CHECK(n > 0, "write to the pipe failed");
    done += static_cast<size_t>(n);
  }
  close(fds[1]);
  Decoded out;
  nlohmann::json message;
  std::string err;
  while (protocol::read_frame(fds[0], &message, &err)) out.messages.push_back(message.dump());
  out.error = !err.empty();
  close(fds[0]);
  return out;
}

inline void check_stream(std::string_view bytes) {
  SupervisorModel model;
  const Decoded whole = decode(bytes, 0, &model);
  for (const size_t chunk : {1, 7}) {
    const Decoded part = decode(bytes, chunk, nullptr);
    FUZZ_CHECK(part.messages == whole.messages && part.error == whole.error && part.left == whole.left,
               "{:?}: fed in {}-byte chunks: {} messages, error {}, {} left; whole: {}, {}, {}", bytes, chunk,
               part.messages.size(), part.error, part.left, whole.messages.size(), whole.error, whole.left);
  }
  if (bytes.size() > 32768) return;  // a pipe holds 64 KiB
  const Decoded piped = read_frames(bytes);
  FUZZ_CHECK(piped.messages == whole.messages, "{:?}: read_frame decodes {} messages, the decoder {}", bytes,
             piped.messages.size(), whole.messages.size());
  // The worker sees a clean end only where the decoder has nothing left over.
  FUZZ_CHECK(piped.error == (whole.error || whole.left > 0),
             "{:?}: read_frame error {}, decoder error {}, {} left", bytes, piped.error, whole.error,
             whole.left);
}

}  // namespace convprobe::fuzz
