// The worker protocol: frames on a byte stream, each "CPV1" + uint32 little-endian payload length + a JSON
// object. The magic names the protocol version, the length is checked against a hard maximum, and every
// payload is parsed before anything acts on it: a worker that writes anything else is killed and its trial
// recorded as CRASH "protocol error: ..." (docs/supervisor.md lists the messages).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "convprobe/trial.hpp"

namespace convprobe::protocol {

inline constexpr char kMagic[4] = {'C', 'P', 'V', '1'};
inline constexpr int kVersion = 1;
inline constexpr size_t kHeaderBytes = 8;
inline constexpr uint32_t kMaxPayloadBytes = 64u << 20;  ///< 64 MiB: far above any real message

/// Message types (the "type" field). Supervisor -> worker: candidates, trial. Worker -> supervisor: hello,
/// candidates (the answer), error (an answer that failed), heartbeat, result.
inline constexpr std::string_view kHello = "hello";
inline constexpr std::string_view kCandidates = "candidates";
inline constexpr std::string_view kTrial = "trial";
inline constexpr std::string_view kHeartbeat = "heartbeat";
inline constexpr std::string_view kResult = "result";
inline constexpr std::string_view kError = "error";

/// One frame: header + payload (the JSON dumped compactly).
[[nodiscard]] std::string encode_frame(const nlohmann::json& message);

/// Incremental decoder for the supervisor's side: feed bytes as they arrive, take whole messages out.
class FrameDecoder {
 public:
  enum class Status { message, need_more, error };
  void append(const char* data, size_t size) { buffer_.append(data, size); }
  /// Takes the next whole message out of the buffer. On error, *err says what was wrong (the decoder is
  /// then poisoned: the stream has no way to resynchronise, so the worker must be dropped).
  Status next(nlohmann::json* out, std::string* err);
  [[nodiscard]] size_t buffered() const { return buffer_.size(); }

 private:
  std::string buffer_;
  bool failed_ = false;
};

/// Blocking write of a whole frame (retries on EINTR and short writes). For sockets, MSG_NOSIGNAL is used so
/// that a dead peer reads as an error (EPIPE), never as a SIGPIPE that would end the supervisor.
bool write_frame(int fd, const nlohmann::json& message, std::string* err);

/// Blocking read of one whole frame (the worker's side). Returns false with *err empty at a clean end of
/// stream (the supervisor closed the pipe), false with *err set on a malformed frame or a read error.
bool read_frame(int fd, nlohmann::json* out, std::string* err);

/// "type" of a message, or empty when it has none.
[[nodiscard]] std::string message_type(const nlohmann::json& message);

/// What a heartbeat says: the phase the worker entered and its estimate for it (0 when it gave none).
struct Heartbeat {
  Phase phase = Phase::setup;
  double expected_ms = 0;
};
/// Reads a heartbeat message. Throws std::invalid_argument when "phase" is missing or names no phase.
[[nodiscard]] Heartbeat read_heartbeat(const nlohmann::json& message);

}  // namespace convprobe::protocol
