// MIOpenDriver `conv` command lines as problem input.
#include <gtest/gtest.h>

#include "convprobe/problem.hpp"
#include "problem/parse_helpers.hpp"

namespace convprobe {
namespace {

TEST(MiopenDriver, ShortFlags) {
  const Problem p =
      parse_ok("conv -n 1 -c 3 -H 42 -W 44 -k 64 -y 3 -x 5 -p 1 -q 2 -u 2 -v 1 -l 2 -j 1 -g 1 -F 1");
  EXPECT_EQ(p.dir, Direction::fwd);
  EXPECT_EQ(p.type, DataType::f32);
  EXPECT_EQ(p.spatial_dims, 2);
  EXPECT_EQ(p.mb, 1);
  EXPECT_EQ(p.ic, 3);
  EXPECT_EQ(p.oc, 64);
  EXPECT_EQ(p.in, (A3{1, 42, 44}));
  EXPECT_EQ(p.kernel, (A3{1, 3, 5}));
  EXPECT_EQ(p.pad_begin, (A3{0, 1, 2}));
  EXPECT_EQ(p.stride, (A3{1, 2, 1}));
  EXPECT_EQ(p.dilation, (A3{0, 1, 0}));  // MIOpen dilation 2 = benchdnn d1; 1 = none = d0
}

TEST(MiopenDriver, EquivalentToDescriptor) {
  const Problem a = parse_ok("conv -n 1 -c 3 -H 224 -W 224 -k 64 -y 3 -x 3 -p 1 -q 1 -F 1");
  const Problem b = parse_ok("mb1ic3ih224oc64kh3ph1");
  EXPECT_EQ(a, b);
}

TEST(MiopenDriver, DefaultsFollowMiopenDriver) {
  // -n 100 -c 3 -H 32 -W 32 -k 32 -y 3 -x 3 -p 0 -q 0 -u 1 -v 1 -l 1 -j 1 -g 1
  const Problem p = parse_ok("conv -F 1");
  EXPECT_EQ(p, parse_ok("mb100ic3ih32oc32kh3"));
}

TEST(MiopenDriver, LongFlagsTypesDirectionsAndRunOptions) {
  const Problem p = parse_ok(
      "./bin/MIOpenDriver convfp16 --batchsize 8 --in_channels 32 --in_h 17 --in_w 19 --out_channels 64 "
      "--fil_h 1 --fil_w 3 --pad_h 0 --pad_w 1 --conv_stride_h 1 --conv_stride_w 2 --dilation_h 1 "
      "--dilation_w=3 --group_count 4 --forw 2 -t 1 -V 0 -i 5 -s 0");
  EXPECT_EQ(p.type, DataType::f16);
  EXPECT_EQ(p.dir, Direction::bwd_data);
  EXPECT_EQ(p.g, 4);
  EXPECT_EQ(p.mb, 8);
  EXPECT_EQ(p.in, (A3{1, 17, 19}));
  EXPECT_EQ(p.kernel, (A3{1, 1, 3}));
  EXPECT_EQ(p.pad_begin, (A3{0, 0, 1}));
  EXPECT_EQ(p.stride, (A3{1, 1, 2}));
  EXPECT_EQ(p.dilation, (A3{0, 0, 2}));
  EXPECT_EQ(parse_ok("convbfp16 -F 4").type, DataType::bf16);
  EXPECT_EQ(parse_ok("convbfp16 -F 4").dir, Direction::bwd_weights);
  EXPECT_EQ(parse_ok("-n 2 -F 1").mb, 2);                // no command word: f32
  EXPECT_EQ(parse_ok("conv -n 2").dir, Direction::fwd);  // -F missing: fwd (documented)
}

TEST(MiopenDriver, ThreeDimensional) {
  const Problem p = parse_ok(
      "conv --spatial_dim 3 -n 1 -c 4 --in_d 5 -H 6 -W 7 -k 8 --fil_d 3 -y 1 -x 1 --pad_d 1 --conv_stride_d "
      "2 "
      "--dilation_d 1 -F 1");
  EXPECT_EQ(p.spatial_dims, 3);
  EXPECT_EQ(p.in, (A3{5, 6, 7}));
  EXPECT_EQ(p.kernel, (A3{3, 1, 1}));
  EXPECT_EQ(p.pad_begin, (A3{1, 0, 0}));
  EXPECT_EQ(p.stride, (A3{2, 1, 1}));
  // The driver's short 3-D flags and its 3-D defaults (in_d 32, fil_d 3).
  const Problem q = parse_ok("conv -_ 3 -n 1 -F 1");
  EXPECT_EQ(q.in, (A3{32, 32, 32}));
  EXPECT_EQ(q.kernel, (A3{3, 3, 3}));
  EXPECT_EQ(parse_ok("conv -_ 3 -! 4 -@ 1 -# 1 -$ 0 -^ 1 -n 1 -F 1").in[0], 4);
}

TEST(MiopenDriver, LayoutAndPadMode) {
  EXPECT_EQ(parse_ok("conv -I NHWC -O NHWC -f NHWC -F 1").layout, Layout::nhwc);
  const Problem same = parse_ok("conv -H 42 -W 42 -y 5 -x 5 -z same -F 1");
  EXPECT_EQ(same.pad_begin, (A3{0, 2, 2}));
  EXPECT_EQ(same.out(), (A3{1, 42, 42}));
  EXPECT_EQ(parse_ok("conv -p 3 -q 3 -z valid -F 1").pad_begin, (A3{0, 0, 0}));
}

struct BadCase {
  const char* text;
  std::vector<const char*> fragments;
};

class MiopenDriverErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(MiopenDriverErrors, MessageNamesFlagAndValue) {
  const std::string err = parse_error(GetParam().text);
  for (const char* f : GetParam().fragments) {
    EXPECT_NE(err.find(f), std::string::npos) << "message \"" << err << "\" lacks \"" << f << "\"";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, MiopenDriverErrors,
    ::testing::Values(BadCase{"conv -F 0", {"-F 0", "1 (fwd), 2 (bwd-data) or 4 (bwd-weights)"}},
                      BadCase{"conv -F 3", {"-F 3", "one direction"}},
                      BadCase{"conv --forw 8", {"--forw 8", "expected 1 (fwd)"}},
                      BadCase{"conv -n abc -F 1", {"-n", "\"abc\"", "expected an integer"}},
                      BadCase{"conv -n -F 1", {"-n (--batchsize) has no value"}},
                      BadCase{"conv -F", {"-F", "has no value"}},
                      BadCase{"conv -Q 1", {"unknown MIOpenDriver conv flag \"-Q\""}},
                      BadCase{"convint8 -F 1", {"\"convint8\"", "conv, convfp16 or convbfp16"}},
                      BadCase{"conv -l 0 -F 1", {"-l 0", ">= 1", "1 means none"}},
                      BadCase{"conv --in_d 4 -F 1", {"--in_d", "--spatial_dim 3"}},
                      BadCase{"conv -_ 4 -F 1", {"-_ 4", "expected 2 or 3"}},
                      BadCase{"conv -m trans -F 1", {"-m \"trans\"", "transposed"}},
                      BadCase{"conv -z wide -F 1", {"-z \"wide\""}},
                      BadCase{"conv -I NCHW -O NHWC -F 1", {"-O \"NHWC\"", "one layout"}},
                      BadCase{"conv -I CHWN -F 1", {"-I \"CHWN\""}},
                      // MIOpen logs no flag for an NCHW tensor: this is an NHWC input and output with NCHW
                      // weights, which MIOpenDriver's default layout makes of it too.
                      BadCase{"conv --in_layout NHWC --out_layout NHWC -F 1",
                              {"--fil_layout not given (NCHW)", "--out_layout \"NHWC\"", "one layout"}},
                      BadCase{"conv -c 64 -k 64 -g 3 -F 1", {"g=3 does not divide ic=64"}},
                      BadCase{"conv -H 2 -W 2 -y 5 -x 5 -F 1", {"oh=-2", "positive output"}},
                      BadCase{"conv -c 0 -F 1", {"ic=0: expected a positive integer"}}));

// Regression (issue 13, fuzzing: shared/research/fuzz-findings.md H4, H5): signed-overflow UB before
// validation, now reported like any bad value (the asan preset's UBSan aborts on a regression).
INSTANTIATE_TEST_SUITE_P(
    ExtremeValues, MiopenDriverErrors,
    ::testing::Values(
        // H4: a 3-D line, -H at INT64_MAX and -y 0: the output of h was computed while checking axis d.
        BadCase{"conv -_ 3 -H 9223372036854775807 -y 0 -F 1", {"kh=0: expected a positive integer"}},
        // H5: -z same computes kernel - stride before validate(); -y is INT64_MIN.
        BadCase{"conv -y -9223372036854775808 -z same -F 1",
                {"kh=-9223372036854775808: expected a positive integer", "MIOpenDriver line"}}));

}  // namespace
}  // namespace convprobe
