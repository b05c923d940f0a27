// reference_at: one output element in fp64, read straight from the storage-typed tensors (no fp64 copy: a
// sampled check of a huge layer must not convert gigabytes). Templated on the storage type so the innermost
// loops decode f16/bf16 inline; the reduction walks channels in the layout's contiguous order.
#include <vector>

#include "core/conv_geometry.hpp"
#include "core/float16.hpp"
#include "core/reference_conv.hpp"

namespace convprobe {

namespace {

using detail::ConvGeometry;

struct F32Reader {
  const float* p;
  double operator[](int64_t i) const { return p[i]; }
  void prefetch(int64_t i) const { __builtin_prefetch(p + i); }
};
struct F16Reader {
  const uint16_t* p;
  double operator[](int64_t i) const { return detail::half_bits_to_float(p[i]); }
  void prefetch(int64_t i) const { __builtin_prefetch(p + i); }
};
struct Bf16Reader {
  const uint16_t* p;
  double operator[](int64_t i) const { return detail::bf16_bits_to_float(p[i]); }
  void prefetch(int64_t i) const { __builtin_prefetch(p + i); }
};

/// Logical index (n, c, d, h, w) of a physical offset.
std::array<int64_t, 5> decode(const TensorDims& d, int64_t off) {
  std::array<int64_t, 5> i{};
  if (d.channels_last) {
    i[1] = off % d.c, off /= d.c;
    i[4] = off % d.w, off /= d.w;
    i[3] = off % d.h, off /= d.h;
    i[2] = off % d.d, i[0] = off / d.d;
  } else {
    i[4] = off % d.w, off /= d.w;
    i[3] = off % d.h, off /= d.h;
    i[2] = off % d.d, off /= d.d;
    i[1] = off % d.c, i[0] = off / d.c;
  }
  return i;
}

int64_t channel_stride(const TensorDims& d) { return d.channels_last ? 1 : d.d * d.h * d.w; }

/// One (spatial offset in operand a, spatial offset in operand b) pair of the reduction.
struct Tap {
  int64_t a, b;
};

// Prefetch distance in channel windows (planar layouts). Measured on a 1x256x128x128 -> 512, 7x7 layer:
// sampled forward 0.52 -> 0.18 s of CPU, backward data 1.5 -> 0.45 s.
constexpr int64_t kPrefetchChannels = 4;

/// sum over channels ch < channels and taps of a[a0 + ch*a_cs + tap.a] * b[b0 + ch*b_cs + tap.b].
/// Four partial sums: one running sum would serialize every multiply-add on the add latency, and the loads
/// (cache misses on a huge input) would wait behind it.
template <class R>
double dot_taps(R a, int64_t a0, int64_t a_cs, R b, int64_t b0, int64_t b_cs, int64_t channels,
                const std::vector<Tap>& taps) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const auto n_taps = static_cast<int64_t>(taps.size());
  if (a_cs == 1) {  // channels innermost in memory (nhwc): channel loop inside, operand a contiguous
    for (const Tap& tap : taps) {
      const int64_t ai = a0 + tap.a, bi = b0 + tap.b;
      int64_t ch = 0;
      for (; ch + 3 < channels; ch += 4) {
        s0 += a[ai + ch] * b[bi + ch * b_cs];
        s1 += a[ai + ch + 1] * b[bi + (ch + 1) * b_cs];
        s2 += a[ai + ch + 2] * b[bi + (ch + 2) * b_cs];
        s3 += a[ai + ch + 3] * b[bi + (ch + 3) * b_cs];
      }
      for (; ch < channels; ++ch) s0 += a[ai + ch] * b[bi + ch * b_cs];
    }
  } else {  // planar (nchw): one channel's window at a time, neighbouring taps share cache lines
    for (int64_t ch = 0; ch < channels; ++ch) {
      const int64_t ai = a0 + ch * a_cs, bi = b0 + ch * b_cs;
      // Each channel's window is a fresh set of cache lines of a (possibly huge) tensor: ask for the window
      // kPrefetchChannels ahead now, so its misses overlap this channel's arithmetic.
      if (ch + kPrefetchChannels < channels) {
        for (const Tap& t : taps) a.prefetch(ai + kPrefetchChannels * a_cs + t.a);
      }
      int64_t i = 0;
      for (; i + 3 < n_taps; i += 4) {
        const Tap* t = &taps[static_cast<size_t>(i)];
        s0 += a[ai + t[0].a] * b[bi + t[0].b];
        s1 += a[ai + t[1].a] * b[bi + t[1].b];
        s2 += a[ai + t[2].a] * b[bi + t[2].b];
        s3 += a[ai + t[3].a] * b[bi + t[3].b];
      }
      for (; i < n_taps; ++i)
        s0 += a[ai + taps[static_cast<size_t>(i)].a] * b[bi + taps[static_cast<size_t>(i)].b];
    }
  }
  return (s0 + s1) + (s2 + s3);
}

template <class R>
double forward_at(const ConvGeometry& g, const TensorDims& xd, const TensorDims& wd, R x, R w,
                  const std::array<int64_t, 5>& o) {
  thread_local std::vector<Tap> taps;
  taps.clear();
  for (int64_t t = 0; t < g.k[0]; ++t) {
    const int64_t id = g.input_index(0, o[2], t);
    if (id < 0 || id >= g.in[0]) continue;
    for (int64_t r = 0; r < g.k[1]; ++r) {
      const int64_t ih = g.input_index(1, o[3], r);
      if (ih < 0 || ih >= g.in[1]) continue;
      for (int64_t s = 0; s < g.k[2]; ++s) {
        const int64_t iw = g.input_index(2, o[4], s);
        if (iw < 0 || iw >= g.in[2]) continue;
        taps.push_back({xd.offset(0, 0, id, ih, iw), wd.offset(0, 0, t, r, s)});
      }
    }
  }
  const int64_t k = o[1], group = k / g.ocg;
  return dot_taps(x, xd.offset(o[0], group * g.icg, 0, 0, 0), channel_stride(xd), w, wd.offset(k, 0, 0, 0, 0),
                  channel_stride(wd), g.icg, taps);
}

/// The output index on `axis` that reads input index i through filter tap t, or -1 if none does (the
/// stride skips it or it lies outside the output).
int64_t output_for(const ConvGeometry& g, int axis, int64_t i, int64_t t) {
  const int64_t num = i + g.pad[axis] - t * g.step[axis];
  if (num < 0 || num % g.stride[axis] != 0) return -1;
  const int64_t o = num / g.stride[axis];
  return o < g.out[axis] ? o : -1;
}

template <class R>
double backward_data_at(const ConvGeometry& g, const TensorDims& yd, const TensorDims& wd, R dy, R w,
                        const std::array<int64_t, 5>& i) {
  thread_local std::vector<Tap> taps;
  taps.clear();
  for (int64_t t = 0; t < g.k[0]; ++t) {
    const int64_t od = output_for(g, 0, i[2], t);
    if (od < 0) continue;
    for (int64_t r = 0; r < g.k[1]; ++r) {
      const int64_t oh = output_for(g, 1, i[3], r);
      if (oh < 0) continue;
      for (int64_t s = 0; s < g.k[2]; ++s) {
        const int64_t ow = output_for(g, 2, i[4], s);
        if (ow < 0) continue;
        taps.push_back({yd.offset(0, 0, od, oh, ow), wd.offset(0, 0, t, r, s)});
      }
    }
  }
  const int64_t c = i[1], group = c / g.icg, cg = c % g.icg;
  // Reduce over the group's output channels k: dy's channel stride, and w's stride between filters k, k+1.
  const int64_t w_k_stride = wd.offset(1, 0, 0, 0, 0);
  return dot_taps(dy, yd.offset(i[0], group * g.ocg, 0, 0, 0), channel_stride(yd), w,
                  wd.offset(group * g.ocg, cg, 0, 0, 0), w_k_stride, g.ocg, taps);
}

template <class R>
double backward_weights_at(const ConvGeometry& g, const TensorDims& xd, const TensorDims& yd, R x, R dy,
                           const std::array<int64_t, 5>& wi) {
  const int64_t k = wi[0], cg = wi[1], c = (k / g.ocg) * g.icg + cg;
  const detail::IndexRange rd = detail::valid_outputs(g, 0, wi[2]);
  const detail::IndexRange rh = detail::valid_outputs(g, 1, wi[3]);
  const detail::IndexRange rw = detail::valid_outputs(g, 2, wi[4]);
  if (rd.empty() || rh.empty() || rw.empty()) return 0;
  const int64_t x_w_stride = xd.offset(0, 0, 0, 0, 1) * g.stride[2];  // input step per output column
  const int64_t y_w_stride = yd.offset(0, 0, 0, 0, 1);
  double s0 = 0, s1 = 0;
  for (int64_t n = 0; n < g.mb; ++n) {
    for (int64_t od = rd.lo; od < rd.hi; ++od) {
      const int64_t id = g.input_index(0, od, wi[2]);
      for (int64_t oh = rh.lo; oh < rh.hi; ++oh) {
        const int64_t ih = g.input_index(1, oh, wi[3]);
        int64_t xi = xd.offset(n, c, id, ih, g.input_index(2, rw.lo, wi[4]));
        int64_t yi = yd.offset(n, k, od, oh, rw.lo);
        int64_t ow = rw.lo;
        for (; ow + 1 < rw.hi; ow += 2, xi += 2 * x_w_stride, yi += 2 * y_w_stride) {
          s0 += x[xi] * dy[yi];
          s1 += x[xi + x_w_stride] * dy[yi + y_w_stride];
        }
        if (ow < rw.hi) s0 += x[xi] * dy[yi];
      }
    }
  }
  return s0 + s1;
}

template <class R>
double at_typed(const Problem& p, const ConvTensors& t, int64_t out_offset, R src, R wei, R dst) {
  const ConvGeometry g = ConvGeometry::of(p);
  switch (p.dir) {
    case Direction::fwd:
      return forward_at(g, t.src.dims(), t.wei.dims(), src, wei, decode(t.dst.dims(), out_offset));
    case Direction::bwd_data:
      return backward_data_at(g, t.dst.dims(), t.wei.dims(), dst, wei, decode(t.src.dims(), out_offset));
    case Direction::bwd_weights:
      return backward_weights_at(g, t.src.dims(), t.dst.dims(), src, dst, decode(t.wei.dims(), out_offset));
  }
  return 0;
}

template <class R, class T>
R reader(const HostTensor& t) {
  return R{static_cast<const T*>(t.data())};
}

}  // namespace

double reference_at(const Problem& p, const ConvTensors& t, int64_t out_offset) {
  switch (p.type) {
    case DataType::f32:
    case DataType::tf32:
      return at_typed(p, t, out_offset, reader<F32Reader, float>(t.src), reader<F32Reader, float>(t.wei),
                      reader<F32Reader, float>(t.dst));
    case DataType::f16:
      return at_typed(p, t, out_offset, reader<F16Reader, uint16_t>(t.src),
                      reader<F16Reader, uint16_t>(t.wei), reader<F16Reader, uint16_t>(t.dst));
    case DataType::bf16:
      return at_typed(p, t, out_offset, reader<Bf16Reader, uint16_t>(t.src),
                      reader<Bf16Reader, uint16_t>(t.wei), reader<Bf16Reader, uint16_t>(t.dst));
  }
  return 0;
}

}  // namespace convprobe
