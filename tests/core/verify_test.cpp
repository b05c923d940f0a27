#include "core/verify.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "core/conv_test_problems.hpp"
#include "core/reference_conv.hpp"

namespace convprobe {
namespace {

using testing::conv2d;

const Candidate kPlain{"test.plain", "direct", "", {}};
const Candidate kDownConvert{"test.tf32", "engine", "tensor_core,down_convert", {}};

TrialOptions force_sampling() {
  TrialOptions o;
  o.full_verify_max_macs = 0;  // everything above 0 MACs is sampled
  return o;
}

/// Copies element i's bits (poison included) between two tensors of one type.
void copy_bits(const HostTensor& from, HostTensor& to, int64_t i) {
  const auto size = static_cast<size_t>(element_size(from.type()));
  std::memcpy(static_cast<std::byte*>(to.data()) + static_cast<size_t>(i) * size,
              static_cast<const std::byte*>(from.data()) + static_cast<size_t>(i) * size, size);
}

/// Writes the exact reference into the output tensor, rounded to its type (what a perfect backend does).
void write_reference(const Problem& p, ConvTensors& t) {
  std::vector<double> ref;
  reference_full(p, t, &ref);
  HostTensor& out = t.get(output_role(p.dir));
  for (int64_t i = 0; i < out.elems(); ++i) out.set(i, ref[static_cast<size_t>(i)]);
}

/// The forward convolution as a plain f32 implementation computes it: f32 products, one f32 running sum per
/// output in (c, r, s) order. `skip_channel` >= 0 drops one input channel; `flip_weight` >= 0 negates one
/// weight (physical offset): the kind of bug verification must catch.
void f32_forward(ConvTensors& t, int64_t skip_channel = -1, int64_t flip_weight = -1) {
  const TensorDims xd = t.src.dims(), wd = t.wei.dims(), yd = t.dst.dims();
  for (int64_t n = 0; n < yd.n; ++n)
    for (int64_t k = 0; k < yd.c; ++k)
      for (int64_t oh = 0; oh < yd.h; ++oh)
        for (int64_t ow = 0; ow < yd.w; ++ow) {
          float sum = 0;
          for (int64_t c = 0; c < xd.c; ++c) {
            if (c == skip_channel) continue;
            for (int64_t r = 0; r < wd.h; ++r)
              for (int64_t s = 0; s < wd.w; ++s) {
                const int64_t wi = wd.offset(k, c, 0, r, s);
                const float w = static_cast<float>(t.wei.get(wi)) * (wi == flip_weight ? -1.0f : 1.0f);
                sum += static_cast<float>(t.src.get(xd.offset(n, c, 0, oh + r, ow + s))) * w;
              }
          }
          t.dst.set(yd.offset(n, k, 0, oh, ow), sum);
        }
}

TEST(ErrorThreshold, ScalesWithTypeAndReduction) {
  const Problem small = conv2d(1, 1, 3, 3, 1, 1, 1);  // K = 1
  const Problem mid = conv2d(1, 64, 8, 8, 8, 3, 3);   // K = 576
  const Problem big = conv2d(1, 512, 9, 9, 8, 7, 7);  // K = 25088
  EXPECT_DOUBLE_EQ(error_threshold(small, kPlain), 1e-6);
  EXPECT_GT(error_threshold(big, kPlain), error_threshold(mid, kPlain));
  EXPECT_LE(error_threshold(big, kPlain), 1e-4);
  EXPECT_EQ(math_label(big, kPlain), "f32");
  EXPECT_EQ(math_label(big, kDownConvert), "tf32");
  EXPECT_GE(error_threshold(big, kDownConvert), 2e-3);
  for (auto [type, label] : {std::pair{DataType::tf32, "tf32"}, std::pair{DataType::f16, "f16"},
                             std::pair{DataType::bf16, "bf16"}}) {
    Problem p = mid;
    p.type = type;
    EXPECT_EQ(math_label(p, kPlain), label);
    EXPECT_EQ(math_label(p, kDownConvert), label);  // the note only matters for f32 problems
    EXPECT_GT(error_threshold(p, kPlain), error_threshold(mid, kPlain));
    EXPECT_LE(error_threshold(p, kPlain), 2e-2);
  }
}

// K = 512 * 7 * 7: a plain f32 implementation passes with room to spare; one skipped input channel or one
// negated weight fails, whether all points or a sample are checked.
TEST(Verify, F32AccumulationPassesAndRealBugsFail) {
  const Problem p = conv2d(1, 512, 9, 9, 16, 7, 7);
  ConvTensors t = make_tensors(p, 11);
  for (double max_macs : {1e12, 0.0}) {
    TrialOptions o;
    o.full_verify_max_macs = max_macs;
    const ReferenceData ref = compute_reference(p, t, o);
    EXPECT_FALSE(ref.sampled);  // 144 outputs: fewer than a sample, so all of them either way
    f32_forward(t);
    const VerifyOutcome ok = verify_output(p, kPlain, t.dst, ref);
    EXPECT_EQ(ok.verdict, Verdict::pass) << ok.detail;
    EXPECT_LT(ok.rel_err, ok.info.threshold / 4) << ok.detail;
    f32_forward(t, /*skip_channel=*/300);
    EXPECT_EQ(verify_output(p, kPlain, t.dst, ref).verdict, Verdict::mismatch);
    f32_forward(t, -1, /*flip_weight=*/t.wei.dims().offset(5, 100, 0, 3, 3));
    const VerifyOutcome bug = verify_output(p, kPlain, t.dst, ref);
    EXPECT_EQ(bug.verdict, Verdict::mismatch) << bug.detail;
    EXPECT_NE(bug.detail.find(" > "), std::string::npos) << bug.detail;
  }
}

TEST(Verify, SampledAndFullAgree) {
  // Outputs: 2x16x30x30 = 28800 (fwd), 2x16x32x32 = 32768 (bwd_data), 64x64x3x3 = 36864 (bwd_weights); a
  // 16384-point sample is a real subset of each.
  for (Direction d : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights}) {
    SCOPED_TRACE(to_string(d));
    Problem p = testing::with_dir(conv2d(2, 16, 32, 32, 16, 3, 3), d);
    if (d == Direction::bwd_weights) p = testing::with_dir(conv2d(2, 64, 12, 12, 64, 3, 3), d);
    p.layout = d == Direction::bwd_data ? Layout::nhwc : Layout::nchw;
    ConvTensors t = make_tensors(p, 21);
    const ReferenceData full = compute_reference(p, t, TrialOptions{});
    const ReferenceData sampled = compute_reference(p, t, force_sampling());
    ASSERT_FALSE(full.sampled);
    ASSERT_TRUE(sampled.sampled);
    ASSERT_EQ(sampled.offsets.size(), 16384u);
    EXPECT_TRUE(std::is_sorted(sampled.offsets.begin(), sampled.offsets.end()));
    EXPECT_EQ(std::set<int64_t>(sampled.offsets.begin(), sampled.offsets.end()).size(), 16384u);
    for (size_t i = 0; i < sampled.offsets.size(); i += 97) {
      const double want = full.values[static_cast<size_t>(sampled.offsets[i])];
      EXPECT_NEAR(sampled.values[i], want, 1e-12 * (1 + std::abs(want)));  // summed in another order
    }

    HostTensor& out = t.get(output_role(d));
    write_reference(p, t);
    const VerifyOutcome f = verify_output(p, kPlain, out, full), s = verify_output(p, kPlain, out, sampled);
    EXPECT_EQ(f.verdict, Verdict::pass) << f.detail;
    EXPECT_EQ(s.verdict, Verdict::pass) << s.detail;
    EXPECT_TRUE(s.info.sampled);
    EXPECT_EQ(s.info.points, 16384);
    EXPECT_EQ(f.info.points, out.elems());
    EXPECT_NEAR(s.rel_err, f.rel_err, 0.2 * f.rel_err);

    // Corrupt every element by a random 1e-3 relative error: both see about the same error, both fail.
    for (int64_t i = 0; i < out.elems(); ++i) out.set(i, out.get(i) * (1 + ((i * 7919) % 3 - 1) * 1e-3));
    const VerifyOutcome fb = verify_output(p, kPlain, out, full), sb = verify_output(p, kPlain, out, sampled);
    EXPECT_EQ(fb.verdict, Verdict::mismatch);
    EXPECT_EQ(sb.verdict, Verdict::mismatch);
    EXPECT_NEAR(sb.rel_err, fb.rel_err, 0.1 * fb.rel_err);
  }
}

TEST(Verify, SampleIsSeededAndRecorded) {
  const Problem p = conv2d(2, 8, 32, 32, 16, 3, 3);
  const ConvTensors t = make_tensors(p, 1);
  TrialOptions o = force_sampling();
  o.sample_points = 20000;
  const ReferenceData a = compute_reference(p, t, o), b = compute_reference(p, t, o);
  EXPECT_EQ(a.offsets, b.offsets);
  EXPECT_EQ(a.offsets.size(), 20000u);
  EXPECT_EQ(a.seed, o.seed);
  o.seed += 1;
  o.sample_points = 100;  // below the floor: 16384 are used
  const ReferenceData c = compute_reference(p, t, o);
  EXPECT_EQ(c.offsets.size(), 16384u);
  EXPECT_EQ(c.seed, o.seed);
  EXPECT_NE(std::vector<int64_t>(c.offsets.begin(), c.offsets.begin() + 100),
            std::vector<int64_t>(a.offsets.begin(), a.offsets.begin() + 100));
}

TEST(Verify, NaNInfAndPoisonAreCountedAndFail) {
  for (DataType type : {DataType::f32, DataType::f16, DataType::bf16}) {
    Problem p = conv2d(1, 4, 10, 10, 8, 3, 3);
    p.type = type;
    ConvTensors t = make_tensors(p, 2);
    const ReferenceData ref = compute_reference(p, t, TrialOptions{});
    write_reference(p, t);
    ASSERT_EQ(verify_output(p, kPlain, t.dst, ref).verdict, Verdict::pass);
    const int64_t total = t.dst.elems();

    t.dst.set(3, std::numeric_limits<double>::quiet_NaN());
    t.dst.set(4, -std::numeric_limits<double>::infinity());
    t.dst.set(5, std::numeric_limits<double>::infinity());
    VerifyOutcome v = verify_output(p, kPlain, t.dst, ref);
    EXPECT_EQ(v.verdict, Verdict::mismatch);
    EXPECT_EQ(v.detail, "1 NaN, 2 Inf of " + std::to_string(total) + " outputs") << to_string(type);

    write_reference(p, t);
    HostTensor fresh = t.dst;
    fresh.poison();
    for (int64_t i = 0; i < 10; ++i) t.dst.set(i, std::numeric_limits<double>::quiet_NaN());
    for (int64_t i = 10; i < total; i += 2) copy_bits(fresh, t.dst, i);
    v = verify_output(p, kPlain, t.dst, ref);
    EXPECT_EQ(v.verdict, Verdict::mismatch);
    const std::string of_total = " of " + std::to_string(total) + " outputs";
    EXPECT_EQ(v.detail, std::to_string((total - 10 + 1) / 2) + of_total +
                            " untouched (poison); 10 NaN, 0 Inf" + of_total);
  }
}

TEST(Verify, ZeroReferenceUsesAbsoluteError) {
  // A 1x1 input padded by 3 under a 1x1 filter: 7x7 outputs, all but the centre see only padding. A sample
  // of corner points has an all-zero reference, where a relative error means nothing.
  const Problem p = conv2d(1, 1, 1, 1, 1, 1, 1, 1, 3);
  ConvTensors t = make_tensors(p, 3);
  ReferenceData ref;
  ref.sampled = true;
  ref.offsets = {0, 1, 2, 48};
  for (int64_t off : ref.offsets) ref.values.push_back(reference_at(p, t, off));
  ASSERT_EQ(ref.values, std::vector<double>(4, 0.0));
  write_reference(p, t);
  VerifyOutcome v = verify_output(p, kPlain, t.dst, ref);
  EXPECT_EQ(v.verdict, Verdict::pass);
  EXPECT_NE(v.detail.find("absolute"), std::string::npos) << v.detail;
  t.dst.set(48, 0.5);
  v = verify_output(p, kPlain, t.dst, ref);
  EXPECT_EQ(v.verdict, Verdict::mismatch);
  EXPECT_DOUBLE_EQ(v.rel_err, 0.5);
}

}  // namespace
}  // namespace convprobe
