// The descriptor parser: hand-checked inputs, fill-in rules, aliases, and every malformed-input message.
#include "problem/descriptor_parse.hpp"

#include <gtest/gtest.h>

#include "convprobe/problem.hpp"
#include "problem/parse_helpers.hpp"

namespace convprobe {
namespace {

TEST(DescriptorParse, IssueExample) {
  const Problem p = parse_ok("mb1ic3ih224oc64kh3ph1");
  EXPECT_EQ(p.dir, Direction::fwd);
  EXPECT_EQ(p.type, DataType::f32);
  EXPECT_EQ(p.layout, Layout::nchw);
  EXPECT_EQ(p.spatial_dims, 2);
  EXPECT_EQ(p.mb, 1);
  EXPECT_EQ(p.g, 1);
  EXPECT_EQ(p.ic, 3);
  EXPECT_EQ(p.oc, 64);
  EXPECT_EQ(p.in, (A3{1, 224, 224}));
  EXPECT_EQ(p.kernel, (A3{1, 3, 3}));
  EXPECT_EQ(p.pad_begin, (A3{0, 1, 1}));
  EXPECT_EQ(p.stride, (A3{1, 1, 1}));
  EXPECT_EQ(p.dilation, (A3{0, 0, 0}));
  EXPECT_EQ(p.out(), (A3{1, 224, 224}));
}

TEST(DescriptorParse, DefaultsFollowBenchdnn) {
  const Problem p = parse_ok("ic16ih8oc8");
  EXPECT_EQ(p.mb, 2);
  EXPECT_EQ(p.kernel, (A3{1, 1, 1}));
  EXPECT_EQ(p.out(), (A3{1, 8, 8}));
}

// The rule before issue 20's own-axis change, kept for keys stored by an older convprobe (store schema 3
// rewrites them): a missing sw, pw repeats sh, ph even where w has its own input and kernel keys.
TEST(DescriptorParse, CopyParentRuleReadsKeysOfTheOldParser) {
  const std::string old_key = "ic16ih15iw10oc8kh6kw3sh2ph3";
  Problem old_rule;
  std::string err;
  ASSERT_TRUE(parse_descriptor_with_rule(old_key, OwnAxisRule::copy_parent, &old_rule, &err)) << err;
  EXPECT_EQ(old_rule.stride, (A3{1, 2, 2}));
  EXPECT_EQ(old_rule.pad_begin, (A3{0, 3, 3}));
  EXPECT_EQ(old_rule.pad_end, (A3{0, 3, 3}));
  const Problem today = parse_ok(old_key);
  EXPECT_EQ(today.stride, (A3{1, 2, 1}));
  EXPECT_EQ(today.pad_begin, (A3{0, 3, 0}));
  EXPECT_EQ(today.pad_end, (A3{0, 3, 0}));
  // The benchdnn rule through this entry point is parse_problem's; the canonical key of the old reading
  // means the same under today's rule.
  Problem same;
  ASSERT_TRUE(parse_descriptor_with_rule(old_key, OwnAxisRule::benchdnn_defaults, &same, &err)) << err;
  EXPECT_EQ(same, today);
  EXPECT_EQ(parse_ok(key(old_rule)), old_rule);
  // Without its own kernel key the two rules agree.
  Problem a;
  ASSERT_TRUE(parse_descriptor_with_rule("mb1ic3ih32oc64kh3ph1", OwnAxisRule::copy_parent, &a, &err)) << err;
  EXPECT_EQ(a, parse_ok("mb1ic3ih32oc64kh3ph1"));
  EXPECT_FALSE(parse_descriptor_with_rule("", OwnAxisRule::copy_parent, &a, &err));
}

TEST(DescriptorParse, RectangularAndUnderscores) {
  const Problem p = parse_ok("g2mb4_ic8ih10iw12_oc6kh3kw1_sh2sw1_ph1pw0_dh1dw0");
  EXPECT_EQ(p.g, 2);
  EXPECT_EQ(p.in, (A3{1, 10, 12}));
  EXPECT_EQ(p.kernel, (A3{1, 3, 1}));
  EXPECT_EQ(p.stride, (A3{1, 2, 1}));
  EXPECT_EQ(p.pad_begin, (A3{0, 1, 0}));
  EXPECT_EQ(p.dilation, (A3{0, 1, 0}));
  // oh = (10 + 2 - 5) / 2 + 1 = 4
  EXPECT_EQ(p.out()[1], 4);
  EXPECT_EQ(p.out()[2], 12);
}

TEST(DescriptorParse, PrefixesAndAliases) {
  struct Case {
    const char* text;
    Direction dir;
    DataType type;
    Layout layout;
  };
  const Case cases[] = {
      {"bwdd_ic4ih8oc4", Direction::bwd_data, DataType::f32, Layout::nchw},
      {"bwd_d_ic4ih8oc4", Direction::bwd_data, DataType::f32, Layout::nchw},
      {"bwd_data_ic4ih8oc4", Direction::bwd_data, DataType::f32, Layout::nchw},
      {"bwdw_ic4ih8oc4", Direction::bwd_weights, DataType::f32, Layout::nchw},
      {"bwd_w_ic4ih8oc4", Direction::bwd_weights, DataType::f32, Layout::nchw},
      {"bwd_weights_ic4ih8oc4", Direction::bwd_weights, DataType::f32, Layout::nchw},
      {"fwd_f32_nchw_ic4ih8oc4", Direction::fwd, DataType::f32, Layout::nchw},
      {"tf32_ic4ih8oc4", Direction::fwd, DataType::tf32, Layout::nchw},
      {"bwdw_f16_nhwc_ic4ih8oc4", Direction::bwd_weights, DataType::f16, Layout::nhwc},
      {"nhwc_bf16_bwd_d_ic4ih8oc4", Direction::bwd_data, DataType::bf16, Layout::nhwc},
  };
  for (const auto& c : cases) {
    const Problem p = parse_ok(c.text);
    EXPECT_EQ(p.dir, c.dir) << c.text;
    EXPECT_EQ(p.type, c.type) << c.text;
    EXPECT_EQ(p.layout, c.layout) << c.text;
  }
}

TEST(DescriptorParse, AnAxisWithItsOwnInputAndKernelTakesDefaultsAsBenchdnn) {
  // Issue 20: benchdnn accepts a w-axis only with iw and kw, and then a missing sw, pw, dw is 1, 0, 0.
  const Problem own = parse_ok("ic3ih224iw112oc4kh3kw5sh2ph1dh1");
  EXPECT_EQ(own.stride, (A3{1, 2, 1}));
  EXPECT_EQ(own.pad_begin, (A3{0, 1, 0}));
  EXPECT_EQ(own.dilation, (A3{0, 1, 0}));
  EXPECT_EQ(to_string(own), "ic3ih224iw112oc4kh3kw5sh2ph1dh1");
  // Without its own kernel key (a line benchdnn refuses) a missing w value still repeats h's.
  const Problem repeats = parse_ok("ic3ih224iw112oc4kh3sh2ph1");
  EXPECT_EQ(repeats.kernel, (A3{1, 3, 3}));
  EXPECT_EQ(repeats.stride, (A3{1, 2, 2}));
  EXPECT_EQ(repeats.pad_begin, (A3{0, 1, 1}));
  // Printed back: equal strides are written out when the axis stands on its own.
  Problem p = own;
  p.stride[2] = 2;
  EXPECT_EQ(to_string(p), "ic3ih224iw112oc4kh3kw5sh2sw2ph1dh1");
}

TEST(DescriptorParse, ThreeDimensionalFillIn) {
  const Problem p = parse_ok("mb1ic4id5ih6oc8kd3kh1sd2pd1");
  EXPECT_EQ(p.spatial_dims, 3);
  EXPECT_EQ(p.in, (A3{5, 6, 6}));
  EXPECT_EQ(p.kernel, (A3{3, 1, 1}));
  EXPECT_EQ(p.stride, (A3{2, 2, 2}));
  EXPECT_EQ(p.pad_begin, (A3{1, 1, 1}));

  const Problem cube = parse_ok("ic4id7oc8kd3");
  EXPECT_EQ(cube.in, (A3{7, 7, 7}));
  EXPECT_EQ(cube.kernel, (A3{3, 3, 3}));
  EXPECT_EQ(cube.out(), (A3{5, 5, 5}));
}

TEST(DescriptorParse, ThreeDimensionalWithUnitDepthStaysThreeD) {
  const Problem p = parse_ok("ic4id1ih8oc8kh3");
  EXPECT_EQ(p.spatial_dims, 3);
  EXPECT_EQ(p.in, (A3{1, 8, 8}));
  EXPECT_EQ(p.kernel, (A3{1, 3, 3}));
  EXPECT_EQ(to_string(p), "ic4id1ih8oc8kd1kh3");
}

TEST(DescriptorParse, OutputKeysDerivePadding) {
  // benchdnn's shapes often give oh instead of ph. benchdnn (conv_aux.cpp compute_pad, conv.hpp opp_pad): ph
  // is half of the total padding oh needs, rounded toward zero, ((oh - 1) * sh - ih + kh) / 2 = (222 - 224 +
  // 7) / 2 = 2, and the padding after is the rest, 5 - 2 = 3.
  const Problem p = parse_ok("mb1ic3ih224oc64oh112kh7sh2");
  EXPECT_EQ(p.pad_begin, (A3{0, 2, 2}));
  EXPECT_EQ(p.pad_end, (A3{0, 3, 3}));
  EXPECT_EQ(p.out()[1], 112);
  // With ph given, oh sets the padding after: 5 - 3 = 2, which gives the same output as 3 (stride slack), so
  // the problem is symmetric.
  const Problem given = parse_ok("mb1ic3ih224oc64oh112kh7sh2ph3");
  EXPECT_EQ(given.pad_begin[1], 3);
  EXPECT_TRUE(given.symmetric());
  EXPECT_EQ(parse_ok("mb50ic64ih56oc64oh56kh3ph1").out()[1], 56);
  // 3-D with only depth keys (h and w copy d): od9 on id4 with kd1 needs 5 rows of padding, 2 before, 3
  // after.
  const Problem cube = parse_ok("ic3id4oc4od9");
  EXPECT_EQ(cube.pad_begin, (A3{2, 2, 2}));
  EXPECT_EQ(cube.pad_end, (A3{3, 3, 3}));
  EXPECT_EQ(cube.out(), (A3{9, 9, 9}));
}

TEST(DescriptorParse, Label) {
  const Problem p = parse_ok("mb50ic64ih56oc64oh56kh3ph1n\"resnet_50:res2a_branch2b*3\"");
  EXPECT_EQ(p.label, "resnet_50:res2a_branch2b*3");
  EXPECT_EQ(parse_ok("ic1ih4oc1n\"\"").label, "");
}

TEST(DescriptorParse, SurroundingWhitespaceIsIgnored) { EXPECT_EQ(parse_ok("  ic1ih4oc1 \t").ic, 1); }

struct BadCase {
  const char* text;
  std::vector<const char*> expected_fragments;
};

class DescriptorParseErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(DescriptorParseErrors, MessageNamesFieldAndValue) {
  const std::string err = parse_error(GetParam().text);
  for (const char* fragment : GetParam().expected_fragments) {
    EXPECT_NE(err.find(fragment), std::string::npos)
        << "message \"" << err << "\" lacks \"" << fragment << "\"";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, DescriptorParseErrors,
    ::testing::Values(
        BadCase{"mb1xy3", {"unknown key \"xy\"", "position 4", "\"mb1xy3\"", "expected one of g, mb, ic"}},
        BadCase{"", {"empty problem"}}, BadCase{"fwd_", {"empty descriptor"}},
        BadCase{"mb1ic3ih_oc64", {"key \"ih\"", "expected an integer"}},
        BadCase{"mb1ic3ihoc64", {"unknown key \"ihoc\""}},
        BadCase{"mb1ic3ih", {"key \"ih\"", "expected an integer"}},
        BadCase{"mb1ic3ih224oc64kh3ph1!", {"unexpected character '!'", "position 22"}},
        BadCase{"mb1ic3ih22 4oc64", {"unexpected character ' '"}},
        BadCase{"ic3ih224oc64ih32", {"key \"ih\" given twice", "ih224", "ih32"}},
        BadCase{"f16_bf16_ic3ih8oc4", {"data type given twice", "f16", "bf16"}},
        BadCase{"bwdd_bwdw_ic3ih8oc4", {"direction given twice"}},
        BadCase{"ic3ih99999999999999999999oc4", {"ih=99999999999999999999", "64-bit integer"}},
        BadCase{"ih8oc4", {"missing ic"}}, BadCase{"ic3ih8", {"missing oc"}},
        BadCase{"ic3oc4kh3", {"missing ih"}}, BadCase{"ic3oc4kd3ih8", {"missing id", "3-D"}},
        BadCase{"ic3ih8oc4nfoo", {"label", "quoted"}}, BadCase{"ic3ih8oc4n\"foo", {"closing"}},
        BadCase{"ic3ih8oc4n\"foo\"kh3", {"after the label"}},
        BadCase{"bwddmb1ic3ih8oc4", {"unknown key \"bwddmb\"", "prefixes"}},
        // Validation failures come back from the parser with the input attached.
        BadCase{"mb1ic0ih8oc4", {"ic=0: expected a positive integer", "\"mb1ic0ih8oc4\""}},
        BadCase{"mb0ic3ih8oc4", {"mb=0: expected a positive integer"}}, BadCase{"ic3ih8oc0", {"oc=0"}},
        BadCase{"ic3ih0oc4", {"ih=0: expected a positive integer"}},
        BadCase{"ic3ih8iw-2oc4", {"iw=-2: expected a positive integer"}},
        BadCase{"ic3ih8oc4kh0", {"kh=0: expected a positive integer"}},
        BadCase{"ic3ih8oc4sh0", {"sh=0: expected an integer >= 1"}},
        BadCase{"ic3ih8oc4ph-1", {"ph=-1: expected an integer >= 0"}},
        BadCase{"ic3ih8oc4dh-1", {"dh=-1: expected an integer >= 0"}},
        BadCase{"g3ic64ih8oc66", {"g=3 does not divide ic=64"}},
        BadCase{"g2ic64ih8oc3", {"g=2 does not divide oc=3"}},
        BadCase{"g0ic4ih8oc4", {"g=0: expected a positive integer"}},
        BadCase{"ic3ih4oc4kh7", {"oh=-2", "positive output height", "ih=4", "effective kernel 7"}},
        BadCase{"ic3ih8oc4kh3dh4", {"oh=-2", "effective kernel 11", "dh=4"}},
        // oh100 with ph1 means an end padding of 99 - 224 + 3 - 1 = -123 (benchdnn's opp_pad): cropping more
        // than the stride's slack, refused.
        BadCase{"mb1ic3ih224oc64oh100kh3ph1",
                {"oh=100 with ph=1", "end padding of -123 on height", "expected an end padding > -sh"}},
        BadCase{"mb1024ic1024ih4096oc1", {"src tensor=", "expected at most 68719476736 bytes"}}));

// Regression (issue 13, fuzzing: shared/research/fuzz-findings.md F1, H1-H4): extreme values in one key are
// reported, never overflowed. Each was signed-overflow UB before validation; the asan preset's UBSan aborts
// on any of them, and fuzz/corpus/descriptor/regress-* replays them in CI.
INSTANTIATE_TEST_SUITE_P(
    ExtremeValues, DescriptorParseErrors,
    ::testing::Values(
        // F1: derive_pads' span + 1 with span saturated to INT64_MAX (the minimised input, then a readable
        // one).
        BadCase{"ic4id6oc3kd268719dd60000000000489ow9", {"\"ic4id6oc3kd268719dd60000000000489ow9\""}},
        BadCase{"ic1ih1oc1oh9223372036854775807sh2", {"dst tensor=more than 2^63 bytes"}},
        // H1: oh - 1 with oh = INT64_MIN.
        BadCase{"ic1ih1oc1oh-9223372036854775808", {"oh=-9223372036854775808: expected a positive integer"}},
        // H2: effective kernel - ih with ih = INT64_MIN.
        BadCase{"ic1ih-9223372036854775808oc1oh1", {"ih=-9223372036854775808: expected a positive integer"}},
        // H3: kernel - 1 with kh = INT64_MIN, before validate().
        BadCase{"ic1ih1oc1kh-9223372036854775808oh1",
                {"kh=-9223372036854775808: expected a positive integer"}},
        // H4: checking axis d computes the output of all axes before h is validated (kh0, ih = INT64_MAX).
        BadCase{"ic1id1ih9223372036854775807oc1kh0", {"kh=0: expected a positive integer"}}));

}  // namespace
}  // namespace convprobe
