#include "core/reference_conv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/conv_test_problems.hpp"

namespace convprobe {
namespace {

using testing::conv2d;
using testing::with_dir;

/// Tensors of p with the given logical values written in physical order (values.size() == elems).
void set_all(HostTensor& t, const std::vector<double>& values) {
  ASSERT_EQ(static_cast<int64_t>(values.size()), t.elems());
  for (int64_t i = 0; i < t.elems(); ++i) t.set(i, values[static_cast<size_t>(i)]);
}

std::vector<double> full(const Problem& p, const ConvTensors& t, int threads = 0) {
  std::vector<double> out;
  reference_full(p, t, &out, threads);
  return out;
}

// 3x3 input 1..9, 2x2 filter 1..4, no padding: every value below was computed by hand.
TEST(ReferenceHandComputed, Forward2x2) {
  const Problem p = conv2d(1, 1, 3, 3, 1, 2, 2);
  ConvTensors t = make_tensors(p, 1);
  set_all(t.src, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  set_all(t.wei, {1, 2, 3, 4});
  // y00 = 1*1 + 2*2 + 4*3 + 5*4 = 37, y01 = 2 + 6 + 15 + 24, y10 = 4 + 10 + 21 + 32, y11 = 5 + 12 + 24 + 36.
  EXPECT_EQ(full(p, t), (std::vector<double>{37, 47, 67, 77}));
  EXPECT_EQ(reference_at(p, t, 3), 77);
}

TEST(ReferenceHandComputed, BackwardData2x2) {
  const Problem p = with_dir(conv2d(1, 1, 3, 3, 1, 2, 2), Direction::bwd_data);
  ConvTensors t = make_tensors(p, 1);
  set_all(t.dst, {1, 2, 3, 4});
  set_all(t.wei, {1, 2, 3, 4});
  // dx[i][j] = sum over (r, s) of dy[i-r][j-s] * w[r][s], e.g. dx11 = 4*1 + 3*2 + 2*3 + 1*4 = 20.
  const std::vector<double> want{1, 4, 4, 6, 20, 16, 9, 24, 16};
  EXPECT_EQ(full(p, t), want);
  for (int64_t i = 0; i < 9; ++i) EXPECT_EQ(reference_at(p, t, i), want[static_cast<size_t>(i)]);
}

TEST(ReferenceHandComputed, BackwardWeights2x2) {
  const Problem p = with_dir(conv2d(1, 1, 3, 3, 1, 2, 2), Direction::bwd_weights);
  ConvTensors t = make_tensors(p, 1);
  set_all(t.src, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  set_all(t.dst, {1, 2, 3, 4});
  // dw[r][s] = sum over (oh, ow) of x[oh+r][ow+s] * dy[oh][ow]: the same sums as the forward case.
  EXPECT_EQ(full(p, t), (std::vector<double>{37, 47, 67, 77}));
  EXPECT_EQ(reference_at(p, t, 1), 47);
}

TEST(ReferenceHandComputed, StrideAndPadding) {
  // 4x4 input 1..16, 3x3 filter of ones, stride 2, pad 1: each output is the sum of its in-bounds window.
  const Problem p = conv2d(1, 1, 4, 4, 1, 3, 3, 2, 1);
  ConvTensors t = make_tensors(p, 1);
  std::vector<double> x(16);
  for (int i = 0; i < 16; ++i) x[static_cast<size_t>(i)] = i + 1;
  set_all(t.src, x);
  set_all(t.wei, std::vector<double>(9, 1.0));
  EXPECT_EQ(full(p, t), (std::vector<double>{1 + 2 + 5 + 6, 2 + 3 + 4 + 6 + 7 + 8, 5 + 6 + 9 + 10 + 13 + 14,
                                             6 + 7 + 8 + 10 + 11 + 12 + 14 + 15 + 16}));
}

TEST(ReferenceHandComputed, DilationUsesBenchdnnConvention) {
  // d1 = one hole between taps: a 1x3 filter spans 5 columns, so a 1x5 input gives one output.
  const Problem p = conv2d(1, 1, 1, 5, 1, 1, 3, 1, 0, 1);
  ASSERT_EQ(p.out()[2], 1);
  ConvTensors t = make_tensors(p, 1);
  set_all(t.src, {1, 2, 3, 4, 5});
  set_all(t.wei, {1, 10, 100});
  EXPECT_EQ(full(p, t), (std::vector<double>{1 * 1 + 3 * 10 + 5 * 100}));
}

TEST(ReferenceHandComputed, GroupsKeepChannelsApart) {
  // Two groups, 1x1 filters: y[k] = w[k] * x[k], nothing crosses between groups.
  const Problem p = conv2d(1, 2, 1, 2, 2, 1, 1, 1, 0, 0, 2);
  ConvTensors t = make_tensors(p, 1);
  set_all(t.src, {1, 2, 3, 4});  // channel 0: 1 2, channel 1: 3 4
  set_all(t.wei, {10, 100});
  EXPECT_EQ(full(p, t), (std::vector<double>{10, 20, 300, 400}));
}

TEST(ReferenceHandComputed, ThreeDimensionalAndChannelsLast) {
  Problem p = conv2d(1, 2, 1, 1, 1, 1, 1);
  p.spatial_dims = 3;
  p.in = {2, 1, 1};
  p.kernel = {2, 1, 1};
  p.layout = Layout::nhwc;  // x is (n, d, h, w, c): d0c0 d0c1 d1c0 d1c1; w is (k, t, r, s, c)
  ConvTensors t = make_tensors(p, 1);
  set_all(t.src, {1, 2, 3, 4});
  set_all(t.wei, {5, 6, 7, 8});  // t0c0 t0c1 t1c0 t1c1
  EXPECT_EQ(full(p, t), (std::vector<double>{1 * 5 + 2 * 6 + 3 * 7 + 4 * 8}));
}

/// The textbook loop nest over logical indices, independent of the optimized code paths.
std::vector<double> naive_forward(const Problem& p, const ConvTensors& t) {
  const TensorDims xd = t.src.dims(), wd = t.wei.dims(), yd = t.dst.dims();
  std::vector<double> y(static_cast<size_t>(yd.elems()), 0.0);
  const int64_t icg = p.ic / p.g, ocg = p.oc / p.g;
  for (int64_t n = 0; n < yd.n; ++n)
    for (int64_t k = 0; k < yd.c; ++k)
      for (int64_t od = 0; od < yd.d; ++od)
        for (int64_t oh = 0; oh < yd.h; ++oh)
          for (int64_t ow = 0; ow < yd.w; ++ow) {
            double sum = 0;
            for (int64_t c = 0; c < icg; ++c)
              for (int64_t kt = 0; kt < wd.d; ++kt)
                for (int64_t kr = 0; kr < wd.h; ++kr)
                  for (int64_t ks = 0; ks < wd.w; ++ks) {
                    const int64_t id = od * p.stride[0] - p.pad_begin[0] + kt * (p.dilation[0] + 1);
                    const int64_t ih = oh * p.stride[1] - p.pad_begin[1] + kr * (p.dilation[1] + 1);
                    const int64_t iw = ow * p.stride[2] - p.pad_begin[2] + ks * (p.dilation[2] + 1);
                    if (id < 0 || id >= xd.d || ih < 0 || ih >= xd.h || iw < 0 || iw >= xd.w) continue;
                    sum += t.src.get(xd.offset(n, (k / ocg) * icg + c, id, ih, iw)) *
                           t.wei.get(wd.offset(k, c, kt, kr, ks));
                  }
            y[static_cast<size_t>(yd.offset(n, k, od, oh, ow))] = sum;
          }
  return y;
}

void expect_close(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) ASSERT_NEAR(got[i], want[i], 1e-12 * (1 + std::abs(want[i]))) << i;
}

double dot(const HostTensor& a, const std::vector<double>& b) {
  double s = 0;
  for (int64_t i = 0; i < a.elems(); ++i) s += a.get(i) * b[static_cast<size_t>(i)];
  return s;
}

// For random problems with strides, dilation, padding (asymmetric too), groups, 1-D, 3-D and NHWC:
//   - forward equals the textbook loop nest;
//   - <fwd(x, w), dy> = <x, bwd_data(dy, w)> = <w, bwd_weights(x, dy)> (the directions are each other's
//   adjoints);
//   - reference_at equals reference_full at every point, for every direction;
//   - the result does not depend on the thread count.
TEST(ReferenceRandom, AdjointIdentitiesAndPointwiseAgreement) {
  std::mt19937_64 rng(3);
  const DataType types[] = {DataType::f32, DataType::f16, DataType::bf16};
  for (int trial = 0; trial < 40; ++trial) {
    Problem p = testing::random_problem(rng);
    p.type = types[trial % 3];
    SCOPED_TRACE(::testing::Message() << "problem " << trial << ": " << to_short_string(p)
                                      << (p.layout == Layout::nhwc ? " nhwc" : " nchw") << " g" << p.g);
    // One set of x, w, dy shared by all three directions (every tensor filled).
    ConvTensors t = make_tensors(p, 100 + static_cast<uint64_t>(trial));
    t.dst.fill_random(999 + static_cast<uint64_t>(trial));

    const std::vector<double> y = full(p, t);
    expect_close(y, naive_forward(p, t));
    const Problem pd = with_dir(p, Direction::bwd_data), pw = with_dir(p, Direction::bwd_weights);
    const std::vector<double> dx = full(pd, t), dw = full(pw, t);
    EXPECT_EQ(dx, full(pd, t, 3));
    EXPECT_EQ(dw, full(pw, t, 1));

    const double a = dot(t.dst, y), b = dot(t.src, dx), c = dot(t.wei, dw);
    const double scale = std::max({std::abs(a), std::abs(b), std::abs(c), 1.0});
    EXPECT_NEAR(a / scale, b / scale, 1e-12);
    EXPECT_NEAR(a / scale, c / scale, 1e-12);

    for (const auto& [q, ref] : {std::pair{p, &y}, std::pair{pd, &dx}, std::pair{pw, &dw}}) {
      for (size_t i = 0; i < ref->size(); ++i) {
        ASSERT_NEAR(reference_at(q, t, static_cast<int64_t>(i)), (*ref)[i], 1e-12 * (1 + std::abs((*ref)[i])))
            << to_string(q.dir) << " at " << i;
      }
    }
  }
}

/// Issue 20: a brute force that knows nothing of padding arithmetic. It builds the padded input explicitly
/// (zeros before and after each axis, or rows dropped where the end padding is negative), then slides the
/// filter over it with no padding at all; output extents come from the padded input, not from Problem::out().
std::vector<double> explicitly_padded_forward(const Problem& p, const ConvTensors& t) {
  const TensorDims xd = t.src.dims(), wd = t.wei.dims();
  const std::array<int64_t, 3> in{xd.d, xd.h, xd.w}, k{wd.d, wd.h, wd.w};
  std::array<int64_t, 3> padded{}, out{};
  for (int a = 0; a < 3; ++a) {
    padded[a] = in[a] + p.pad_begin[a] + p.pad_end[a];
    const int64_t span = (k[a] - 1) * (p.dilation[a] + 1) + 1;
    out[a] = (padded[a] - span) / p.stride[a] + 1;
  }
  // The padded input, channel-major, as plain nested indices.
  auto at = [&](int64_t n, int64_t c, int64_t d, int64_t h, int64_t w) {
    return (((n * p.ic + c) * padded[0] + d) * padded[1] + h) * padded[2] + w;
  };
  std::vector<double> x(static_cast<size_t>(xd.n * p.ic * padded[0] * padded[1] * padded[2]), 0.0);
  for (int64_t n = 0; n < xd.n; ++n)
    for (int64_t c = 0; c < p.ic; ++c)
      for (int64_t d = 0; d < padded[0]; ++d)
        for (int64_t h = 0; h < padded[1]; ++h)
          for (int64_t w = 0; w < padded[2]; ++w) {
            const int64_t id = d - p.pad_begin[0], ih = h - p.pad_begin[1], iw = w - p.pad_begin[2];
            if (id < 0 || ih < 0 || iw < 0 || id >= in[0] || ih >= in[1] || iw >= in[2]) continue;
            x[static_cast<size_t>(at(n, c, d, h, w))] = t.src.get(xd.offset(n, c, id, ih, iw));
          }
  const int64_t icg = p.ic / p.g, ocg = p.oc / p.g;
  std::vector<double> y;
  for (int64_t n = 0; n < xd.n; ++n)
    for (int64_t o = 0; o < p.oc; ++o)
      for (int64_t od = 0; od < out[0]; ++od)
        for (int64_t oh = 0; oh < out[1]; ++oh)
          for (int64_t ow = 0; ow < out[2]; ++ow) {
            double sum = 0;
            for (int64_t c = 0; c < icg; ++c)
              for (int64_t kt = 0; kt < k[0]; ++kt)
                for (int64_t kr = 0; kr < k[1]; ++kr)
                  for (int64_t ks = 0; ks < k[2]; ++ks) {
                    const int64_t d = od * p.stride[0] + kt * (p.dilation[0] + 1);
                    const int64_t h = oh * p.stride[1] + kr * (p.dilation[1] + 1);
                    const int64_t w = ow * p.stride[2] + ks * (p.dilation[2] + 1);
                    sum += x[static_cast<size_t>(at(n, (o / ocg) * icg + c, d, h, w))] *
                           t.wei.get(wd.offset(o, c, kt, kr, ks));
                  }
            y.push_back(sum);
          }
  return y;
}

TEST(ReferenceRandom, AsymmetricAndOneDimensionalMatchAnExplicitlyPaddedInput) {
  std::mt19937_64 rng(20);
  int asymmetric = 0, cropped = 0, one_d = 0;
  for (int trial = 0; trial < 300; ++trial) {
    Problem p = testing::random_problem(rng);
    p.layout = Layout::nchw;  // the brute force's output order is (n, k, d, h, w)
    SCOPED_TRACE(::testing::Message() << "problem " << trial << ": " << to_string(p));
    ConvTensors t = make_tensors(p, 40 + static_cast<uint64_t>(trial));
    expect_close(full(p, t), explicitly_padded_forward(p, t));
    asymmetric += !p.symmetric();
    one_d += p.spatial_dims == 1;
    for (int a = 0; a < 3; ++a) cropped += p.pad_end[a] < 0 ? 1 : 0;
  }
  EXPECT_GT(asymmetric, 50);
  EXPECT_GT(cropped, 20);
  EXPECT_GT(one_d, 20);
}

TEST(ReferenceRandom, PointwiseMatchesFullOnALargerLayer) {
  // Big enough for the multi-threaded path to split work; checks a spread of points of each direction.
  Problem p = conv2d(2, 16, 23, 19, 12, 3, 3, 2, 1, 1, 4);
  for (Direction d : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights}) {
    for (Layout l : {Layout::nchw, Layout::nhwc}) {
      p.dir = d;
      p.layout = l;
      ConvTensors t = make_tensors(p, 5);
      const std::vector<double> ref = full(p, t);
      for (size_t i = 0; i < ref.size(); i += 7) {
        ASSERT_NEAR(reference_at(p, t, static_cast<int64_t>(i)), ref[i], 1e-12 * (1 + std::abs(ref[i])));
      }
    }
  }
}

}  // namespace
}  // namespace convprobe
