// parse(print(p)) == p for every valid problem: thousands of random ones, 1-D, 2-D and 3-D, every direction,
// type and layout, groups and depthwise, strides, dilation, padding (symmetric, asymmetric, negative at the
// end), square and not.
#include <gtest/gtest.h>

#include <random>

#include "convprobe/problem.hpp"
#include "problem/parse_helpers.hpp"

namespace convprobe {
namespace {

class RandomProblems {
 public:
  explicit RandomProblems(uint32_t seed) : rng_(seed) {}

  Problem next() {
    for (;;) {
      Problem p = draw();
      if (validate(p).empty() && crops_within_stride(p)) return p;
    }
  }

 private:
  int64_t uniform(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }
  bool chance(double pr) { return std::bernoulli_distribution(pr)(rng_); }

  /// Three extents that are often equal (so the printer's omissions are exercised) and sometimes equal to
  /// the default (so defaults are dropped).
  std::array<int64_t, 3> axes(int64_t lo, int64_t hi, int dims, int64_t neutral) {
    std::array<int64_t, 3> v{};
    v[0] = dims == 3 ? uniform(lo, hi) : neutral;
    v[1] = dims == 1 ? neutral : dims == 3 && chance(0.5) ? v[0] : uniform(lo, hi);
    v[2] = dims >= 2 && chance(0.5) ? v[1] : uniform(lo, hi);
    return v;
  }

  /// The end padding differs from the begin padding on some axes: more, less, or negative (cropping).
  void skew_end_padding(Problem* p) {
    for (int a = 3 - p->spatial_dims; a < 3; ++a) {
      if (chance(0.5)) p->pad_end[a] = p->pad_begin[a] + uniform(-p->pad_begin[a] - p->stride[a] + 1, 3);
    }
  }

  /// The parser refuses end paddings no backend takes (a crop beyond the stride's slack).
  static bool crops_within_stride(const Problem& p) {
    for (int a = 0; a < 3; ++a) {
      if (p.canonical_pad_end(a) + p.stride[a] <= 0) return false;
    }
    return true;
  }

  Problem draw() {
    Problem p;
    p.dir = static_cast<Direction>(uniform(0, 2));
    p.type = static_cast<DataType>(uniform(0, 3));
    p.layout = static_cast<Layout>(uniform(0, 1));
    p.spatial_dims = chance(0.3) ? 3 : chance(0.15) ? 1 : 2;
    const int dims = p.spatial_dims;
    p.mb = uniform(1, 4);
    const int64_t kind = uniform(0, 3);
    if (kind == 0) {  // depthwise
      p.g = uniform(1, 16);
      p.ic = p.oc = p.g;
    } else {
      p.g = kind == 1 ? uniform(2, 4) : 1;
      p.ic = p.g * uniform(1, 8);
      p.oc = p.g * uniform(1, 8);
    }
    p.in = axes(1, dims == 3 ? 12 : 40, dims, 1);
    p.kernel = axes(1, 5, dims, 1);
    p.stride = axes(1, 3, dims, 1);
    p.set_pads(axes(0, 3, dims, 0));
    p.dilation = axes(0, 2, dims, 0);
    // Square-default corner cases: unit depth in 3-D, all-default groups.
    if (dims == 3 && chance(0.2)) p.in[0] = p.kernel[0] = 1;
    if (chance(0.3)) p.stride = {1, 1, 1};
    if (chance(0.3)) p.dilation = {0, 0, 0};
    if (chance(0.3)) p.set_pads({0, 0, 0});
    if (chance(0.4)) skew_end_padding(&p);
    if (chance(0.2)) p.label = "layer " + std::to_string(uniform(0, 999));
    return p;
  }

  std::mt19937 rng_;
};

TEST(RoundTrip, RandomProblemsSurvivePrintAndParse) {
  RandomProblems gen(20261125);
  int three_d = 0, one_d = 0, grouped = 0, asymmetric = 0, cropped = 0;
  for (int i = 0; i < 20000; ++i) {
    const Problem p = gen.next();
    const std::string text = to_string(p);
    Problem back;
    std::string err;
    ASSERT_TRUE(parse_problem(text, &back, &err)) << text << ": " << err;
    ASSERT_EQ(back, p) << text << " came back as " << to_string(back);
    ASSERT_EQ(back.label, p.label) << text;
    ASSERT_EQ(to_string(back), text);  // canonical: printing is a fixed point
    ASSERT_EQ(key(back), key(p));
    three_d += p.spatial_dims == 3;
    one_d += p.spatial_dims == 1;
    grouped += p.g > 1;
    asymmetric += !p.symmetric();
    bool negative_end = false;
    for (int a = 0; a < 3; ++a) negative_end = negative_end || p.canonical_pad_end(a) < 0;
    cropped += negative_end;
  }
  EXPECT_GT(three_d, 1000);
  EXPECT_GT(one_d, 1000);
  EXPECT_GT(grouped, 1000);
  EXPECT_GT(asymmetric, 1000);
  EXPECT_GT(cropped, 200);
}

/// A poor man's fuzzer (cf. ninja's manifest_fuzzer): mutated descriptors and driver lines either parse into
/// a valid problem that round-trips, or fail with a message; they never crash or hang.
TEST(RoundTrip, MutatedInputsFailCleanly) {
  RandomProblems gen(7);
  std::mt19937 rng(11);
  const std::string alphabet = "0123456789abcdghiklmnopstwxy_-\"# FHWcnuv";
  int failures = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = i % 4 == 0 ? "conv -n 1 -c 3 -H 8 -W 8 -k 4 -y 3 -x 3 -F 1" : to_string(gen.next());
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t pos = rng() % text.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          text.erase(pos, 1);
          break;
        case 1:
          text.insert(pos, 1, c);
          break;
        default:
          text[pos] = c;
      }
    }
    Problem p;
    std::string err;
    if (!parse_problem(text, &p, &err)) {
      EXPECT_FALSE(err.empty()) << text;
      ++failures;
      continue;
    }
    ASSERT_EQ(validate(p), "") << text;
    Problem back;
    ASSERT_TRUE(parse_problem(to_string(p), &back, &err)) << text << ": " << err;
    ASSERT_EQ(back, p) << text;
  }
  EXPECT_GT(failures, 1000);
}

TEST(RoundTrip, CanonicalFormsDropDefaults) {
  Problem p;
  p.mb = 1;
  p.ic = 3;
  p.oc = 64;
  p.in = {1, 224, 224};
  p.kernel = {1, 3, 3};
  p.set_pads({0, 1, 1});
  EXPECT_EQ(to_string(p), "mb1ic3ih224oc64kh3ph1");
  p.mb = 2;
  p.dir = Direction::bwd_weights;
  p.type = DataType::bf16;
  p.layout = Layout::nhwc;
  p.in[2] = 112;
  p.dilation = {0, 1, 1};
  p.label = "say \"hi\"";
  EXPECT_EQ(to_string(p), "bwdw_bf16_nhwc_ic3ih224iw112oc64kh3ph1dh1n\"say 'hi'\"");
  EXPECT_EQ(key(p), "bwdw_bf16_nhwc_ic3ih224iw112oc64kh3ph1dh1");
}

// Regression (issue 13, fuzzing: shared/research/fuzz-findings.md F2): a label holding "MIOpenDriver" made
// the printed descriptor look like a driver line (the router looked into the quoted label), so it did not
// read back. fuzz/corpus/descriptor/regress-F2-* replays these in CI.
TEST(RoundTrip, LabelsThatLookLikeADriverLineReadBack) {
  Problem from_text;
  std::string err;
  ASSERT_TRUE(parse_problem("ic3ih2oc1n\"MIOpenDriver\n\"", &from_text, &err)) << err;
  EXPECT_EQ(from_text.label, "MIOpenDriver\n");
  Problem from_code;
  ASSERT_TRUE(parse_problem("mb1ic3ih42oc64kh3ph1", &from_code, &err)) << err;
  from_code.label = "MIOpenDriver conv -n 1 -c 3";  // what an importer of MIOpen logs might write
  for (const Problem& p : {from_text, from_code}) {
    const std::string text = to_string(p);
    Problem back;
    ASSERT_TRUE(parse_problem(text, &back, &err)) << text << ": " << err;
    EXPECT_EQ(back, p) << text;
    EXPECT_EQ(to_string(back), text);
  }
  EXPECT_EQ(to_string(from_code), "mb1ic3ih42oc64kh3ph1n\"MIOpenDriver conv -n 1 -c 3\"");
  // A driver path is still a driver line.
  EXPECT_EQ(parse_ok("/opt/rocm/bin/MIOpenDriver conv -n 1 -c 3 -H 8 -W 8 -k 4 -y 3 -x 3 -F 1").ic, 3);
}

TEST(RoundTrip, ThreeDimensionalUnitDepth) {
  Problem p;
  p.spatial_dims = 3;
  p.ic = 2;
  p.oc = 2;
  p.in = {1, 1, 1};
  p.kernel = {1, 1, 1};
  const std::string text = to_string(p);
  EXPECT_EQ(text, "ic2id1oc2kd1");
  Problem back;
  std::string err;
  ASSERT_TRUE(parse_problem(text, &back, &err)) << err;
  EXPECT_EQ(back, p);
}

}  // namespace
}  // namespace convprobe
