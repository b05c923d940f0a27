#include "worker/protocol.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace convprobe::protocol {

namespace {

uint32_t read_le32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{u[0]} | (uint32_t{u[1]} << 8) | (uint32_t{u[2]} << 16) | (uint32_t{u[3]} << 24);
}

void append_le32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

/// Printable rendering of a few bytes for error messages ("bad magic 'GARB'", or hex when binary).
std::string describe_bytes(std::string_view bytes) {
  std::string text;
  bool printable = true;
  for (char c : bytes) printable = printable && c >= 0x20 && c < 0x7f;
  if (printable) return "'" + std::string(bytes) + "'";
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    text += kHex[u >> 4];
    text += kHex[u & 15];
  }
  return "0x" + text;
}

/// Validates a header; on success sets *length.
bool check_header(const char* header, uint32_t* length, std::string* err) {
  if (std::memcmp(header, kMagic, sizeof kMagic) != 0) {
    *err = "bad magic " + describe_bytes(std::string_view(header, 4)) + " (expected 'CPV1')";
    return false;
  }
  *length = read_le32(header + 4);
  if (*length > kMaxPayloadBytes) {
    *err = "frame length " + std::to_string(*length) + " exceeds the maximum of " +
           std::to_string(kMaxPayloadBytes) + " bytes";
    return false;
  }
  return true;
}

bool parse_payload(std::string_view payload, nlohmann::json* out, std::string* err) {
  *out = nlohmann::json::parse(payload.begin(), payload.end(), nullptr, /*allow_exceptions=*/false);
  if (out->is_discarded()) {
    *err = "payload of " + std::to_string(payload.size()) + " bytes is not valid JSON";
    return false;
  }
  if (!out->is_object() || !out->contains("type") || !(*out)["type"].is_string()) {
    *err = "message is not a JSON object with a string \"type\"";
    return false;
  }
  return true;
}

bool write_all(int fd, const char* data, size_t size, std::string* err) {
  bool use_send = true;  // sockets: MSG_NOSIGNAL; pipes answer ENOTSOCK and fall back to write()
  while (size > 0) {
    ssize_t n = use_send ? ::send(fd, data, size, MSG_NOSIGNAL) : ::write(fd, data, size);
    if (n < 0 && use_send && errno == ENOTSOCK) {
      use_send = false;
      continue;
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = std::string("write to worker pipe failed: ") + std::strerror(errno);
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

/// Reads exactly `size` bytes. Returns 1 on success, 0 on end of stream before any byte, -1 on error.
int read_exact(int fd, char* data, size_t size, std::string* err) {
  size_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, data + got, size - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = std::string("read failed: ") + std::strerror(errno);
      return -1;
    }
    if (n == 0) {
      if (got == 0) return 0;
      *err =
          "stream ended inside a frame (" + std::to_string(got) + " of " + std::to_string(size) + " bytes)";
      return -1;
    }
    got += static_cast<size_t>(n);
  }
  return 1;
}

}  // namespace

std::string encode_frame(const nlohmann::json& message) {
  const std::string payload = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string frame(kMagic, sizeof kMagic);
  append_le32(&frame, static_cast<uint32_t>(payload.size()));
  frame += payload;
  return frame;
}

FrameDecoder::Status FrameDecoder::next(nlohmann::json* out, std::string* err) {
  if (failed_) {
    *err = "stream already failed";
    return Status::error;
  }
  if (buffer_.size() < kHeaderBytes) {
    // Reject a wrong magic as soon as its first bytes are visible, not only when 8 bytes arrived.
    const size_t n = std::min(buffer_.size(), sizeof kMagic);
    if (std::memcmp(buffer_.data(), kMagic, n) != 0) {
      failed_ = true;
      *err = "bad magic " + describe_bytes(std::string_view(buffer_.data(), n)) + " (expected 'CPV1')";
      return Status::error;
    }
    return Status::need_more;
  }
  uint32_t length = 0;
  if (!check_header(buffer_.data(), &length, err)) {
    failed_ = true;
    return Status::error;
  }
  if (buffer_.size() < kHeaderBytes + length) return Status::need_more;
  const bool ok = parse_payload(std::string_view(buffer_).substr(kHeaderBytes, length), out, err);
  buffer_.erase(0, kHeaderBytes + length);
  if (!ok) {
    failed_ = true;
    return Status::error;
  }
  return Status::message;
}

bool write_frame(int fd, const nlohmann::json& message, std::string* err) {
  const std::string frame = encode_frame(message);
  return write_all(fd, frame.data(), frame.size(), err);
}

bool read_frame(int fd, nlohmann::json* out, std::string* err) {
  err->clear();
  char header[kHeaderBytes];
  const int got = read_exact(fd, header, sizeof header, err);
  if (got <= 0) return false;
  uint32_t length = 0;
  if (!check_header(header, &length, err)) return false;
  std::string payload(length, '\0');
  if (length > 0 && read_exact(fd, payload.data(), length, err) != 1) {
    if (err->empty()) *err = "stream ended inside a frame";
    return false;
  }
  return parse_payload(payload, out, err);
}

std::string message_type(const nlohmann::json& message) {
  auto it = message.find("type");
  return (it != message.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

Heartbeat read_heartbeat(const nlohmann::json& message) {
  Heartbeat beat;
  const auto it = message.find("phase");
  if (it == message.end() || !it->is_string() || !phase_from_string(it->get<std::string>(), &beat.phase)) {
    throw std::invalid_argument("heartbeat without a valid \"phase\"");
  }
  const auto e = message.find("expected_ms");
  if (e != message.end() && e->is_number()) beat.expected_ms = e->get<double>();
  return beat;
}

}  // namespace convprobe::protocol
