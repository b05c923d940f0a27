// The frame format: round trips, bytes arriving in pieces, and every malformed input named in the error.
#include "worker/protocol.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace convprobe::protocol {
namespace {

using nlohmann::json;
using Status = FrameDecoder::Status;

TEST(CPU_Protocol, FrameRoundTripsThroughTheDecoder) {
  FrameDecoder d;
  const std::string frame = encode_frame(json{{"type", "heartbeat"}, {"seq", 7}, {"phase", "run"}});
  EXPECT_EQ(frame.substr(0, 4), "CPV1");
  d.append(frame.data(), frame.size());
  json m;
  std::string err;
  ASSERT_EQ(d.next(&m, &err), Status::message) << err;
  EXPECT_EQ(m["seq"], 7);
  EXPECT_EQ(message_type(m), "heartbeat");
  EXPECT_EQ(d.next(&m, &err), Status::need_more);
}

TEST(CPU_Protocol, BytesArrivingOneAtATimeMakeWholeMessages) {
  FrameDecoder d;
  const std::string two = encode_frame(json{{"type", "a"}}) + encode_frame(json{{"type", "b"}});
  std::vector<std::string> types;
  json m;
  std::string err;
  for (char c : two) {
    d.append(&c, 1);
    while (d.next(&m, &err) == Status::message) types.push_back(message_type(m));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"a", "b"}));
}

TEST(CPU_Protocol, BadMagicIsRejectedFromItsFirstByte) {
  FrameDecoder d;
  d.append("X", 1);
  json m;
  std::string err;
  EXPECT_EQ(d.next(&m, &err), Status::error);
  EXPECT_NE(err.find("bad magic"), std::string::npos) << err;
  // Poisoned: no resynchronisation on a stream that broke.
  const std::string good = encode_frame(json{{"type", "a"}});
  d.append(good.data(), good.size());
  EXPECT_EQ(d.next(&m, &err), Status::error);
}

TEST(CPU_Protocol, OversizedLengthIsRejectedBeforeReadingThePayload) {
  FrameDecoder d;
  const char header[8] = {'C', 'P', 'V', '1', '\xff', '\xff', '\xff', '\x7f'};
  d.append(header, sizeof header);
  json m;
  std::string err;
  EXPECT_EQ(d.next(&m, &err), Status::error);
  EXPECT_NE(err.find("exceeds the maximum"), std::string::npos) << err;
}

TEST(CPU_Protocol, PayloadMustBeAJsonObjectWithAType) {
  for (const char* payload : {"{not json", "[1,2]", "{\"seq\":1}"}) {
    FrameDecoder d;
    std::string frame = "CPV1";
    const uint32_t n = static_cast<uint32_t>(std::strlen(payload));
    for (int i = 0; i < 4; ++i) frame.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
    frame += payload;
    d.append(frame.data(), frame.size());
    json m;
    std::string err;
    EXPECT_EQ(d.next(&m, &err), Status::error) << payload;
    EXPECT_FALSE(err.empty());
  }
}

TEST(CPU_Protocol, BlockingReadAndWriteOverAPipe) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::string err;
  ASSERT_TRUE(write_frame(fds[1], json{{"type", "hello"}, {"pid", 42}}, &err)) << err;
  close(fds[1]);
  json m;
  ASSERT_TRUE(read_frame(fds[0], &m, &err)) << err;
  EXPECT_EQ(m["pid"], 42);
  // Clean end of stream: false with no error.
  EXPECT_FALSE(read_frame(fds[0], &m, &err));
  EXPECT_TRUE(err.empty()) << err;
  close(fds[0]);
}

TEST(CPU_Protocol, StreamEndingInsideAFrameIsAnError) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string frame = encode_frame(json{{"type", "result"}});
  ASSERT_EQ(write(fds[1], frame.data(), frame.size() - 3), static_cast<ssize_t>(frame.size() - 3));
  close(fds[1]);
  json m;
  std::string err;
  EXPECT_FALSE(read_frame(fds[0], &m, &err));
  EXPECT_NE(err.find("ended inside a frame"), std::string::npos) << err;
  close(fds[0]);
}

TEST(CPU_Protocol, HeartbeatNamesAPhaseAndMayCarryAnEstimate) {
  const Heartbeat beat = read_heartbeat(json{{"type", "heartbeat"}, {"phase", "run"}, {"expected_ms", 12.5}});
  EXPECT_EQ(beat.phase, Phase::run);
  EXPECT_DOUBLE_EQ(beat.expected_ms, 12.5);
  EXPECT_DOUBLE_EQ(read_heartbeat(json{{"phase", "verify"}, {"expected_ms", "soon"}}).expected_ms, 0);
  EXPECT_THROW((void)read_heartbeat(json{{"type", "heartbeat"}}), std::invalid_argument);
  EXPECT_THROW((void)read_heartbeat(json{{"phase", "nap"}}), std::invalid_argument);
  EXPECT_THROW((void)read_heartbeat(json{{"phase", 3}}), std::invalid_argument);
}

}  // namespace
}  // namespace convprobe::protocol
