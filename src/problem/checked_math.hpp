// Saturating int64 arithmetic for size computations: a descriptor may ask for absurd sizes, and validate()
// must be able to say "too big" rather than overflow into a small or negative number.
#pragma once

#include <cstdint>
#include <limits>

namespace convprobe::detail {

inline constexpr int64_t kSatMax = std::numeric_limits<int64_t>::max();

/// a * b for a, b >= 0, clamped at INT64_MAX. Negative operands multiply normally (invalid problems only).
inline int64_t sat_mul(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r))
    return (a < 0) != (b < 0) ? std::numeric_limits<int64_t>::min() : kSatMax;
  return r;
}

inline int64_t sat_add(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return a < 0 ? std::numeric_limits<int64_t>::min() : kSatMax;
  return r;
}

/// a - b, clamped to the int64 range.
inline int64_t sat_sub(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r)) return b < 0 ? kSatMax : std::numeric_limits<int64_t>::min();
  return r;
}

/// Division rounding toward negative infinity (b > 0).
inline int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

}  // namespace convprobe::detail
