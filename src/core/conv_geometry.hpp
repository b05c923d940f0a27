// The index arithmetic of a convolution, shared by the full and the pointwise fp64 reference.
// Along each spatial axis, input index = out * stride - pad + tap * step, where step = dilation + 1
// (benchdnn's dilation convention: 0 means dense) and pad is the padding before; the padding after only
// sets how many outputs there are.
#pragma once

#include <array>
#include <cstdint>

#include "convprobe/problem.hpp"
#include "problem/checked_math.hpp"

namespace convprobe::detail {

struct ConvGeometry {
  int64_t mb = 0, g = 1, ic = 0, oc = 0, icg = 0, ocg = 0;
  std::array<int64_t, 3> in{}, out{}, k{}, stride{}, pad{}, step{};

  static ConvGeometry of(const Problem& p) {
    ConvGeometry c;
    c.mb = p.mb, c.g = p.g, c.ic = p.ic, c.oc = p.oc;
    c.icg = p.ic / p.g, c.ocg = p.oc / p.g;
    c.in = p.in, c.out = p.out(), c.k = p.kernel, c.stride = p.stride, c.pad = p.pad_begin;
    for (int a = 0; a < 3; ++a) c.step[a] = p.dilation[a] + 1;
    return c;
  }
  [[nodiscard]] int64_t in_volume() const { return in[0] * in[1] * in[2]; }
  [[nodiscard]] int64_t out_volume() const { return out[0] * out[1] * out[2]; }
  [[nodiscard]] int64_t k_volume() const { return k[0] * k[1] * k[2]; }
  /// Input index on `axis` for output index o and filter tap t (may fall in the padding: < 0 or >= in).
  [[nodiscard]] int64_t input_index(int axis, int64_t o, int64_t t) const {
    return o * stride[axis] - pad[axis] + t * step[axis];
  }
};

/// Half-open range [lo, hi) of output indices on `axis` whose input index for filter tap `t` is inside the
/// input (not in the padding). Empty when lo >= hi.
struct IndexRange {
  int64_t lo = 0, hi = 0;
  [[nodiscard]] bool empty() const { return lo >= hi; }
};

inline IndexRange valid_outputs(const ConvGeometry& g, int axis, int64_t t) {
  // 0 <= o * stride + shift <= in - 1, with shift = t * step - pad.
  const int64_t shift = t * g.step[axis] - g.pad[axis];
  const int64_t s = g.stride[axis];
  IndexRange r;
  r.lo = -floor_div(shift, s);  // ceil(-shift / s)
  r.hi = floor_div(g.in[axis] - 1 - shift, s) + 1;
  if (r.lo < 0) r.lo = 0;
  if (r.hi > g.out[axis]) r.hi = g.out[axis];
  return r;
}

}  // namespace convprobe::detail
