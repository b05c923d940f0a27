// MD5 from RFC 1321 §3: pad to 56 mod 64 bytes, append the bit length (little-endian), then four rounds of
// sixteen operations per 64-byte block.
#include "base/md5.hpp"

#include <array>
#include <cmath>
#include <cstdint>

namespace convprobe {

namespace {

using Block = std::array<uint32_t, 16>;

/// T[i] = floor(2^32 * |sin(i + 1)|) (RFC 1321 §3.4); the RFC's test suite checks every one of them.
const std::array<uint32_t, 64>& sine_table() {
  static const std::array<uint32_t, 64> table = [] {
    std::array<uint32_t, 64> t{};
    for (size_t i = 0; i < t.size(); ++i) {
      t[i] =
          static_cast<uint32_t>(std::floor(std::fabs(std::sin(static_cast<double>(i + 1))) * 4294967296.0));
    }
    return t;
  }();
  return table;
}

constexpr uint32_t rotate_left(uint32_t x, unsigned n) { return (x << n) | (x >> (32 - n)); }

/// The shift amounts of each round, four per round (RFC 1321 §3.4).
constexpr unsigned kShift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

void transform(std::array<uint32_t, 4>& state, const Block& x) {
  const auto& t = sine_table();
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  for (unsigned i = 0; i < 64; ++i) {
    const unsigned round = i / 16;
    uint32_t f = 0;
    unsigned k = 0;
    switch (round) {
      case 0:
        f = (b & c) | (~b & d), k = i;
        break;
      case 1:
        f = (b & d) | (c & ~d), k = (5 * i + 1) % 16;
        break;
      case 2:
        f = b ^ c ^ d, k = (3 * i + 5) % 16;
        break;
      default:
        f = c ^ (b | ~d), k = (7 * i) % 16;
        break;
    }
    const uint32_t rotated = b + rotate_left(a + f + x[k] + t[i], kShift[round][i % 4]);
    a = d;
    d = c;
    c = b;
    b = rotated;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
}

/// The message with the RFC's padding and length appended: a whole number of 64-byte blocks.
std::string padded(std::string_view bytes) {
  std::string m(bytes);
  const uint64_t bits = static_cast<uint64_t>(bytes.size()) * 8;
  m.push_back(static_cast<char>(0x80));
  while (m.size() % 64 != 56) m.push_back('\0');
  for (int i = 0; i < 8; ++i) m.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  return m;
}

}  // namespace

std::string md5_hex(std::string_view bytes) {
  std::array<uint32_t, 4> state{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  const std::string m = padded(bytes);
  for (size_t off = 0; off < m.size(); off += 64) {
    Block x{};
    for (size_t w = 0; w < 16; ++w) {
      for (size_t j = 0; j < 4; ++j) {
        x[w] |= static_cast<uint32_t>(static_cast<unsigned char>(m[off + 4 * w + j])) << (8 * j);
      }
    }
    transform(state, x);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint32_t word : state) {
    for (int j = 0; j < 4; ++j) {
      const unsigned byte = (word >> (8 * j)) & 0xff;
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

}  // namespace convprobe
