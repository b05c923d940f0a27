#include "core/tensor.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <vector>

#include "core/conv_test_problems.hpp"

namespace convprobe {
namespace {

float f(uint32_t bits) { return std::bit_cast<float>(bits); }

TEST(HalfConversion, EveryHalfRoundTripsThroughFloat) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float v = half_to_float(static_cast<uint16_t>(h));
    if (std::isnan(v)) {
      EXPECT_TRUE(std::isnan(half_to_float(float_to_half(v)))) << std::hex << h;
    } else {
      EXPECT_EQ(float_to_half(v), h) << std::hex << h;
    }
  }
}

TEST(HalfConversion, KnownValues) {
  EXPECT_EQ(float_to_half(1.0f), 0x3c00);
  EXPECT_EQ(float_to_half(-2.0f), 0xc000);
  EXPECT_EQ(float_to_half(65504.0f), 0x7bff);
  EXPECT_EQ(float_to_half(65519.0f), 0x7bff);
  EXPECT_EQ(float_to_half(65520.0f), 0x7c00);  // tie with an odd mantissa: rounds up into Inf
  EXPECT_EQ(float_to_half(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_EQ(float_to_half(0x1p-24f), 0x0001);             // smallest subnormal
  EXPECT_EQ(float_to_half(0x1p-25f), 0x0000);             // tie between 0 and 1: even
  EXPECT_EQ(float_to_half(0x1.8p-24f), 0x0002);           // tie between 1 and 2: even
  EXPECT_EQ(float_to_half(0x1p-14f - 0x1p-26f), 0x0400);  // rounds up into the smallest normal
  EXPECT_EQ(half_to_float(0x0001), 0x1p-24f);
  EXPECT_EQ(half_to_float(0x3555), 0x1.554p-2f);
}

// Between every pair of neighbouring finite halves, the float midpoint rounds to the even one, and the floats
// just beside it round to the nearer one.
TEST(HalfConversion, RoundsToNearestEvenEverywhere) {
  for (uint16_t h = 0; h < 0x7bff; ++h) {
    const float lo = half_to_float(h), hi = half_to_float(static_cast<uint16_t>(h + 1));
    const float mid = lo + (hi - lo) / 2;  // exact in float
    const uint16_t even = (h & 1) == 0 ? h : static_cast<uint16_t>(h + 1);
    ASSERT_EQ(float_to_half(mid), even) << std::hex << h;
    ASSERT_EQ(float_to_half(-mid), even | 0x8000) << std::hex << h;
    ASSERT_EQ(float_to_half(std::nextafter(mid, 0.0f)), h) << std::hex << h;
    ASSERT_EQ(float_to_half(std::nextafter(mid, 1e9f)), h + 1) << std::hex << h;
  }
}

TEST(Bf16Conversion, EveryBf16RoundTripsThroughFloat) {
  for (uint32_t b = 0; b < 0x10000; ++b) {
    const float v = bf16_to_float(static_cast<uint16_t>(b));
    if (std::isnan(v)) {
      EXPECT_TRUE(std::isnan(bf16_to_float(float_to_bf16(v)))) << std::hex << b;
    } else {
      EXPECT_EQ(float_to_bf16(v), b) << std::hex << b;
    }
  }
}

TEST(Bf16Conversion, RoundsToNearestEven) {
  EXPECT_EQ(float_to_bf16(f(0x3f808000)), 0x3f80);                       // tie, even stays
  EXPECT_EQ(float_to_bf16(f(0x3f818000)), 0x3f82);                       // tie, odd rounds up
  EXPECT_EQ(float_to_bf16(f(0x3f808001)), 0x3f81);                       // above the tie
  EXPECT_EQ(float_to_bf16(f(0x3f807fff)), 0x3f80);                       // below the tie
  EXPECT_EQ(float_to_bf16(f(0x7f7fffff)), 0x7f80);                       // FLT_MAX rounds to Inf
  EXPECT_TRUE(std::isnan(bf16_to_float(float_to_bf16(f(0x7f800001)))));  // a NaN never becomes Inf
}

TEST(HostTensor, DimsFollowTheLayout) {
  Problem p = testing::conv2d(2, 6, 5, 4, 8, 3, 3, 1, 1, 0, 2);
  const TensorDims src = dims_of(p, TensorRole::src), wei = dims_of(p, TensorRole::wei),
                   dst = dims_of(p, TensorRole::dst);
  EXPECT_EQ(src.elems(), 2 * 6 * 5 * 4);
  EXPECT_EQ(wei.c, 3);  // c / g
  EXPECT_EQ(dst.h, 5);
  EXPECT_EQ(src.offset(1, 2, 0, 3, 1), ((1 * 6 + 2) * 5 + 3) * 4 + 1);
  p.layout = Layout::nhwc;
  const TensorDims cl = dims_of(p, TensorRole::src), krsc = dims_of(p, TensorRole::wei);
  EXPECT_TRUE(cl.channels_last);
  EXPECT_EQ(cl.offset(1, 2, 0, 3, 1), ((1 * 5 + 3) * 4 + 1) * 6 + 2);
  EXPECT_EQ(krsc.offset(7, 1, 0, 2, 0), ((7 * 3 + 2) * 3 + 0) * 3 + 1);
  EXPECT_EQ(output_role(Direction::fwd), TensorRole::dst);
  EXPECT_EQ(output_role(Direction::bwd_data), TensorRole::src);
  EXPECT_EQ(output_role(Direction::bwd_weights), TensorRole::wei);
}

class FillRandom : public ::testing::TestWithParam<DataType> {};

TEST_P(FillRandom, NonZeroBoundedRepresentableAndSeeded) {
  const TensorDims dims{3, 5, 1, 17, 19, false};
  HostTensor a(GetParam(), dims), b(GetParam(), dims), c(GetParam(), dims);
  a.fill_random(7);
  b.fill_random(7);
  c.fill_random(8);
  int negative = 0, differ = 0;
  double sum = 0;
  for (int64_t i = 0; i < a.elems(); ++i) {
    const double v = a.get(i);
    ASSERT_GE(std::abs(v), 0.0999) << i;
    ASSERT_LT(std::abs(v), 1.0001) << i;
    // What get() returns is what is stored: writing it back changes no bit.
    HostTensor copy(GetParam(), TensorDims{1, 1, 1, 1, 1, false});
    copy.set(0, v);
    ASSERT_EQ(copy.get(0), v);
    ASSERT_EQ(v, b.get(i));
    negative += v < 0;
    differ += v != c.get(i);
    sum += v;
  }
  EXPECT_NEAR(static_cast<double>(negative) / static_cast<double>(a.elems()), 0.5, 0.05);
  EXPECT_GT(differ, a.elems() * 9 / 10);
  EXPECT_LT(std::abs(sum / static_cast<double>(a.elems())), 0.05);
}

TEST_P(FillRandom, PoisonIsANaNToldApartFromComputedNaNs) {
  HostTensor t(GetParam(), TensorDims{1, 2, 1, 3, 3, true});
  t.poison();
  for (int64_t i = 0; i < t.elems(); ++i) {
    ASSERT_TRUE(t.is_poison(i));
    ASSERT_TRUE(std::isnan(t.get(i)));
  }
  t.set(0, 0.5);
  t.set(1, std::numeric_limits<double>::quiet_NaN());
  EXPECT_FALSE(t.is_poison(0));
  EXPECT_FALSE(t.is_poison(1));
  EXPECT_TRUE(std::isnan(t.get(1)));
  EXPECT_TRUE(t.is_poison(2));
}

INSTANTIATE_TEST_SUITE_P(AllTypes, FillRandom,
                         ::testing::Values(DataType::f32, DataType::tf32, DataType::f16, DataType::bf16),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(MakeTensors, FillsInputsAndPoisonsTheOutputOfEachDirection) {
  for (Direction d : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights}) {
    Problem p = testing::with_dir(testing::conv2d(1, 4, 6, 6, 4, 3, 3), d);
    p.type = DataType::bf16;
    const ConvTensors t = make_tensors(p, 42);
    const TensorRole out = output_role(d);
    std::vector<TensorRole> inputs;
    for (TensorRole role : {TensorRole::src, TensorRole::wei, TensorRole::dst}) {
      const HostTensor& x = t.get(role);
      EXPECT_EQ(x.type(), DataType::bf16);
      EXPECT_EQ(x.bytes(), static_cast<size_t>(x.elems()) * 2);
      for (int64_t i = 0; i < x.elems(); ++i) ASSERT_EQ(x.is_poison(i), role == out);
      if (role != out) inputs.push_back(role);
    }
    // The two inputs come from different streams.
    const HostTensor& a = t.get(inputs[0]);
    const HostTensor& b = t.get(inputs[1]);
    int same = 0;
    for (int64_t i = 0; i < std::min(a.elems(), b.elems()); ++i) same += a.get(i) == b.get(i);
    EXPECT_LT(same, 3) << to_string(d);
  }
}

}  // namespace
}  // namespace convprobe
