// Problems for the reference, verification and trial tests: a terse builder and a random generator covering
// strides, dilation, padding (asymmetric and cropping at the end included), groups (depthwise included), 1-D,
// 3-D and NHWC.
#pragma once

#include <random>

#include "convprobe/problem.hpp"

namespace convprobe::testing {

/// A 2-D forward f32 NCHW problem; adjust fields afterwards for anything else.
inline Problem conv2d(int64_t mb, int64_t ic, int64_t ih, int64_t iw, int64_t oc, int64_t kh, int64_t kw,
                      int64_t stride = 1, int64_t pad = 0, int64_t dil = 0, int64_t groups = 1) {
  Problem p;
  p.mb = mb, p.ic = ic, p.oc = oc, p.g = groups;
  p.in = {1, ih, iw};
  p.kernel = {1, kh, kw};
  p.stride = {1, stride, stride};
  p.set_pads({0, pad, pad});
  p.dilation = {0, dil, dil};
  return p;
}

inline Problem with_dir(Problem p, Direction d) {
  p.dir = d;
  return p;
}

/// A small valid random problem (output extents >= 1 on every axis). Direction fwd, type f32.
inline Problem random_problem(std::mt19937_64& rng) {
  auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  while (true) {
    Problem p;
    const int64_t dims = pick(0, 5);
    p.spatial_dims = dims == 0 ? 3 : dims == 1 ? 1 : 2;
    p.in = {1, 1, 1};  // the unused axes' neutral extent (Problem's default height is 0)
    p.layout = pick(0, 1) == 0 ? Layout::nchw : Layout::nhwc;
    const int64_t kind = pick(0, 3);  // 0: dense, 1-2: grouped, 3: depthwise
    p.g = kind == 0 ? 1 : kind == 3 ? pick(2, 4) : pick(2, 3);
    p.ic = p.g * (kind == 3 ? 1 : pick(1, 3));
    p.oc = p.g * (kind == 3 ? 1 : pick(1, 3));
    p.mb = pick(1, 2);
    for (int a = 3 - p.spatial_dims; a < 3; ++a) {
      p.in[a] = pick(1, a == 0 ? 5 : 9);
      p.kernel[a] = pick(1, 3);
      p.stride[a] = pick(1, 3);
      p.dilation[a] = pick(0, 2);
      p.pad_begin[a] = p.pad_end[a] = pick(0, 2);
      // Half the axes pad differently after: more, less, or cropping within the stride's slack (the most any
      // backend takes: oneDNN's padding_r + stride > 0).
      if (pick(0, 1) == 0) p.pad_end[a] = pick(1 - p.stride[a], 3);
    }
    const auto o = p.out();
    if (o[0] >= 1 && o[1] >= 1 && o[2] >= 1) return p;
  }
}

}  // namespace convprobe::testing
