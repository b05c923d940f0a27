// Derived quantities of Problem: output size, counts, FLOPs, bytes, identity.
#include <gtest/gtest.h>

#include "convprobe/problem.hpp"

namespace convprobe {
namespace {

Problem conv2d(int64_t mb, int64_t ic, int64_t h, int64_t w, int64_t oc, int64_t kh, int64_t kw) {
  Problem p;
  p.mb = mb;
  p.ic = ic;
  p.oc = oc;
  p.in = {1, h, w};
  p.kernel = {1, kh, kw};
  return p;
}

TEST(ProblemModel, OutputSizeSamePadding) {
  Problem p = conv2d(1, 3, 224, 224, 64, 3, 3);
  p.set_pads({0, 1, 1});
  EXPECT_EQ(p.out(), (std::array<int64_t, 3>{1, 224, 224}));
}

TEST(ProblemModel, OutputSizeWithStrideAndDilation) {
  // (in + 2p - ((k-1)(d+1)+1)) / s + 1 = (20 + 2*1 - ((3-1)*3+1)) / 2 + 1 = (22 - 7) / 2 + 1 = 8
  Problem p = conv2d(1, 1, 20, 17, 1, 3, 2);
  p.set_pads({0, 1, 0});
  p.stride = {1, 2, 3};
  p.dilation = {0, 2, 1};
  EXPECT_EQ(p.effective_kernel(1), 7);
  EXPECT_EQ(p.effective_kernel(2), 3);
  EXPECT_EQ(p.out()[1], 8);
  EXPECT_EQ(p.out()[2], (17 - 3) / 3 + 1);
}

TEST(ProblemModel, OutputSizeUsesFloorForNegativeSpan) {
  // in 2, k 3, stride 2: span -1; truncating division would claim one output element.
  Problem p = conv2d(1, 1, 2, 2, 1, 3, 3);
  p.stride = {1, 2, 2};
  EXPECT_LE(p.out()[1], 0);
}

TEST(ProblemModel, OutputSize3D) {
  Problem p = conv2d(1, 1, 8, 8, 1, 3, 3);
  p.spatial_dims = 3;
  p.in[0] = 9;
  p.kernel[0] = 3;
  p.stride[0] = 2;
  EXPECT_EQ(p.out()[0], 4);
}

TEST(ProblemModel, CountsFlopsAndBytes) {
  Problem p = conv2d(2, 8, 10, 12, 6, 3, 1);
  p.g = 2;
  const auto o = p.out();
  ASSERT_EQ(o[1], 8);
  ASSERT_EQ(o[2], 12);
  EXPECT_EQ(p.src_elems(), 2 * 8 * 10 * 12);
  EXPECT_EQ(p.wei_elems(), 6 * 4 * 3 * 1);
  EXPECT_EQ(p.dst_elems(), 2 * 6 * 8 * 12);
  EXPECT_DOUBLE_EQ(p.flops(), 2.0 * (2 * 6 * 8 * 12) * (4 * 3));
  EXPECT_EQ(p.bytes(), (p.src_elems() + p.wei_elems() + p.dst_elems()) * 4);
  p.type = DataType::bf16;
  EXPECT_EQ(p.bytes(), (p.src_elems() + p.wei_elems() + p.dst_elems()) * 2);
}

TEST(ProblemModel, ReductionLengthAndOutputPerDirection) {
  Problem p = conv2d(4, 8, 10, 10, 6, 3, 3);
  p.g = 2;
  EXPECT_EQ(p.reduction_length(), 4 * 9);
  EXPECT_EQ(p.output_elems(), p.dst_elems());
  p.dir = Direction::bwd_data;
  EXPECT_EQ(p.reduction_length(), 3 * 9);
  EXPECT_EQ(p.output_elems(), p.src_elems());
  p.dir = Direction::bwd_weights;
  EXPECT_EQ(p.reduction_length(), 4 * 8 * 8);
  EXPECT_EQ(p.output_elems(), p.wei_elems());
}

TEST(ProblemModel, HugeSizesSaturateInsteadOfOverflowing) {
  Problem p = conv2d(int64_t{1} << 40, int64_t{1} << 40, 1 << 20, 1 << 20, 1, 1, 1);
  EXPECT_EQ(p.src_elems(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(p.bytes(), std::numeric_limits<int64_t>::max());
}

TEST(ProblemModel, EnumNamesAndElementSizes) {
  EXPECT_EQ(to_string(Direction::fwd), "fwd");
  EXPECT_EQ(to_string(Direction::bwd_data), "bwd_data");
  EXPECT_EQ(to_string(Direction::bwd_weights), "bwd_weights");
  EXPECT_EQ(to_string(DataType::tf32), "tf32");
  EXPECT_EQ(to_string(Layout::nhwc), "nhwc");
  EXPECT_EQ(element_size(DataType::f32), 4);
  EXPECT_EQ(element_size(DataType::tf32), 4);
  EXPECT_EQ(element_size(DataType::f16), 2);
  EXPECT_EQ(element_size(DataType::bf16), 2);
}

TEST(ProblemModel, EqualityIgnoresLabelOnly) {
  Problem a = conv2d(1, 3, 8, 8, 4, 3, 3);
  Problem b = a;
  b.label = "other";
  EXPECT_EQ(a, b);
  b.layout = Layout::nhwc;
  EXPECT_FALSE(a == b);
  b = a;
  b.dilation[2] = 1;
  EXPECT_FALSE(a == b);
}

TEST(ProblemModel, ShortString) {
  Problem p = conv2d(1, 3, 224, 224, 64, 3, 3);
  p.set_pads({0, 1, 1});
  EXPECT_EQ(to_short_string(p), "fwd f32 1x3x224x224 -> 64 k3x3 s1 p1");
  p.g = 1;
  p.stride = {1, 2, 1};
  p.dilation = {0, 1, 1};
  p.layout = Layout::nhwc;
  EXPECT_EQ(to_short_string(p), "fwd f32 nhwc 1x3x224x224 -> 64 k3x3 s2x1 p1 d1");
}

}  // namespace
}  // namespace convprobe
