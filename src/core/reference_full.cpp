// reference_full: the whole output in fp64. Inputs are first copied into logical (n, c, d, h, w) fp64 arrays
// (so one loop nest serves both layouts and f16/bf16 decoding happens once per element, not once per
// multiply-add); each thread then owns whole output planes, so no two threads write the same element.
#include <algorithm>
#include <vector>

#include "core/conv_geometry.hpp"
#include "core/parallel.hpp"
#include "core/reference_conv.hpp"

namespace convprobe {

namespace {

using detail::ConvGeometry;
using detail::IndexRange;
using detail::valid_outputs;

/// Element stride between consecutive spatial positions of one (n, c) plane in physical order.
int64_t spatial_stride(const TensorDims& d) { return d.channels_last ? d.c : 1; }

std::vector<double> to_logical(const HostTensor& t, int threads) {
  const TensorDims& d = t.dims();
  const int64_t plane = d.d * d.h * d.w;
  const int64_t step = spatial_stride(d);
  std::vector<double> v(static_cast<size_t>(d.elems()));
  detail::parallel_for(d.n * d.c, threads, [&](int64_t begin, int64_t end) {
    for (int64_t nc = begin; nc < end; ++nc) {
      const int64_t base = d.offset(nc / d.c, nc % d.c, 0, 0, 0);
      for (int64_t s = 0; s < plane; ++s) v[static_cast<size_t>(nc * plane + s)] = t.get(base + s * step);
    }
  });
  return v;
}

/// Writes one logical (n, c) plane into the physical output.
void store_plane(const TensorDims& d, int64_t n, int64_t c, const double* plane, std::vector<double>* out) {
  const int64_t base = d.offset(n, c, 0, 0, 0);
  const int64_t step = spatial_stride(d);
  const int64_t size = d.d * d.h * d.w;
  for (int64_t s = 0; s < size; ++s) (*out)[static_cast<size_t>(base + s * step)] = plane[s];
}

/// Per filter tap (t, r, s): the ranges of output rows/columns it touches. Computed once per problem.
struct TapRanges {
  std::array<std::vector<IndexRange>, 3> axis;
  explicit TapRanges(const ConvGeometry& g) {
    for (int a = 0; a < 3; ++a) {
      for (int64_t t = 0; t < g.k[a]; ++t) axis[a].push_back(valid_outputs(g, a, t));
    }
  }
};

/// Visits every (tap, output row) pair of one filter plane: f(tap_index, in_row_base, out_row_base, ow range)
/// with in_row_base the input index of output column 0 (may be negative: padding) and out_row_base the index
/// of the row's first output element, both within a plane.
template <class RowFn>
void for_each_tap_row(const ConvGeometry& g, const TapRanges& tr, RowFn&& row) {
  for (int64_t t = 0; t < g.k[0]; ++t) {
    const IndexRange rd = tr.axis[0][static_cast<size_t>(t)];
    for (int64_t r = 0; r < g.k[1]; ++r) {
      const IndexRange rh = tr.axis[1][static_cast<size_t>(r)];
      for (int64_t s = 0; s < g.k[2]; ++s) {
        const IndexRange rw = tr.axis[2][static_cast<size_t>(s)];
        if (rd.empty() || rh.empty() || rw.empty()) continue;
        const int64_t tap = (t * g.k[1] + r) * g.k[2] + s;
        for (int64_t od = rd.lo; od < rd.hi; ++od) {
          const int64_t id = g.input_index(0, od, t);
          for (int64_t oh = rh.lo; oh < rh.hi; ++oh) {
            const int64_t ih = g.input_index(1, oh, r);
            row(tap, (id * g.in[1] + ih) * g.in[2] + g.input_index(2, 0, s), (od * g.out[1] + oh) * g.out[2],
                rw);
          }
        }
      }
    }
  }
}

void forward(const ConvGeometry& g, const TensorDims& yd, const double* x, const double* w, int threads,
             std::vector<double>* out) {
  const TapRanges tr(g);
  const int64_t sw = g.stride[2];
  detail::parallel_for(g.mb * g.oc, threads, [&](int64_t begin, int64_t end) {
    std::vector<double> acc(static_cast<size_t>(g.out_volume()));
    for (int64_t nk = begin; nk < end; ++nk) {
      const int64_t n = nk / g.oc, k = nk % g.oc, group = k / g.ocg;
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int64_t cg = 0; cg < g.icg; ++cg) {
        const double* xc = x + (n * g.ic + group * g.icg + cg) * g.in_volume();
        const double* wk = w + (k * g.icg + cg) * g.k_volume();
        for_each_tap_row(g, tr, [&](int64_t tap, int64_t in_base, int64_t out_base, IndexRange ow) {
          const double wv = wk[tap];
          double* a = acc.data() + out_base;
          for (int64_t o = ow.lo; o < ow.hi; ++o) a[o] += wv * xc[in_base + o * sw];
        });
      }
      store_plane(yd, n, k, acc.data(), out);
    }
  });
}

void backward_data(const ConvGeometry& g, const TensorDims& xd, const double* dy, const double* w,
                   int threads, std::vector<double>* out) {
  const TapRanges tr(g);
  const int64_t sw = g.stride[2];
  detail::parallel_for(g.mb * g.ic, threads, [&](int64_t begin, int64_t end) {
    std::vector<double> acc(static_cast<size_t>(g.in_volume()));
    for (int64_t nc = begin; nc < end; ++nc) {
      const int64_t n = nc / g.ic, c = nc % g.ic, group = c / g.icg, cg = c % g.icg;
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int64_t kg = 0; kg < g.ocg; ++kg) {
        const int64_t k = group * g.ocg + kg;
        const double* dyk = dy + (n * g.oc + k) * g.out_volume();
        const double* wk = w + (k * g.icg + cg) * g.k_volume();
        for_each_tap_row(g, tr, [&](int64_t tap, int64_t in_base, int64_t out_base, IndexRange ow) {
          const double wv = wk[tap];
          const double* d = dyk + out_base;
          for (int64_t o = ow.lo; o < ow.hi; ++o) acc[static_cast<size_t>(in_base + o * sw)] += wv * d[o];
        });
      }
      store_plane(xd, n, c, acc.data(), out);
    }
  });
}

void backward_weights(const ConvGeometry& g, const TensorDims& wd, const double* x, const double* dy,
                      int threads, std::vector<double>* out) {
  const TapRanges tr(g);
  const int64_t sw = g.stride[2];
  detail::parallel_for(g.oc * g.icg, threads, [&](int64_t begin, int64_t end) {
    std::vector<double> acc(static_cast<size_t>(g.k_volume()));
    for (int64_t kc = begin; kc < end; ++kc) {
      const int64_t k = kc / g.icg, cg = kc % g.icg, c = (k / g.ocg) * g.icg + cg;
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int64_t n = 0; n < g.mb; ++n) {
        const double* xc = x + (n * g.ic + c) * g.in_volume();
        const double* dyk = dy + (n * g.oc + k) * g.out_volume();
        for_each_tap_row(g, tr, [&](int64_t tap, int64_t in_base, int64_t out_base, IndexRange ow) {
          // Two partial sums halve the add-latency chain; the order of fp64 additions does not matter here.
          double s0 = 0, s1 = 0;
          int64_t o = ow.lo;
          for (; o + 1 < ow.hi; o += 2) {
            s0 += xc[in_base + o * sw] * dyk[out_base + o];
            s1 += xc[in_base + (o + 1) * sw] * dyk[out_base + o + 1];
          }
          if (o < ow.hi) s0 += xc[in_base + o * sw] * dyk[out_base + o];
          acc[static_cast<size_t>(tap)] += s0 + s1;
        });
      }
      store_plane(wd, k, cg, acc.data(), out);
    }
  });
}

}  // namespace

void reference_full(const Problem& p, const ConvTensors& t, std::vector<double>* out, int threads) {
  const ConvGeometry g = ConvGeometry::of(p);
  const TensorRole role = output_role(p.dir);
  const TensorDims od = dims_of(p, role);
  out->assign(static_cast<size_t>(od.elems()), 0.0);
  switch (p.dir) {
    case Direction::fwd: {
      const auto x = to_logical(t.src, threads), w = to_logical(t.wei, threads);
      forward(g, od, x.data(), w.data(), threads, out);
      break;
    }
    case Direction::bwd_data: {
      const auto dy = to_logical(t.dst, threads), w = to_logical(t.wei, threads);
      backward_data(g, od, dy.data(), w.data(), threads, out);
      break;
    }
    case Direction::bwd_weights: {
      const auto x = to_logical(t.src, threads), dy = to_logical(t.dst, threads);
      backward_weights(g, od, x.data(), dy.data(), threads, out);
      break;
    }
  }
}

}  // namespace convprobe
