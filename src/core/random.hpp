// Counter-based random numbers: splitmix64 of (stream, index). Position-determined, so a parallel fill gives
// the same values for any thread count, and fast (std::mt19937 is several times slower per value).
#pragma once

#include <cstdint>

namespace convprobe::detail {

inline uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/// Uniform in [0, 1) from the top 53 bits.
inline double to_unit(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1p-53; }

/// The index-th value of a stream: uniform magnitude in [0.1, 1), random sign. Never zero, and never small
/// enough for a cancellation-free sum to underflow in any storage type.
inline double random_nonzero(uint64_t stream, uint64_t index) {
  const uint64_t z = splitmix64(stream + index * 0xd1b54a32d192ed03ull);
  const double magnitude = 0.1 + 0.9 * to_unit(z);
  return (z & 1u) != 0 ? -magnitude : magnitude;
}

/// Uniform integer in [0, bound) (bound > 0); the modulo bias, bound / 2^64, is negligible for tensor sizes.
inline uint64_t uniform_below(uint64_t bits, uint64_t bound) { return bits % bound; }

}  // namespace convprobe::detail
