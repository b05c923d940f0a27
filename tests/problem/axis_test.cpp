// The named axes of a problem (problem/axis.hpp): one meaning each, for bisect and fault thresholds alike.
#include "problem/axis.hpp"

#include <gtest/gtest.h>

namespace convprobe {
namespace {

Problem parsed(const std::string& text) {
  Problem p;
  std::string err;
  EXPECT_TRUE(parse_problem(text, &p, &err)) << err;
  return p;
}

// Moved from the bisect tests (BisectAxis.ParsesAndAppliesAxes) with the axis: the same assertions.
TEST(Axis, ParsesAndAppliesAxes) {
  Axis a;
  EXPECT_FALSE(parse_axis("x", &a));
  ASSERT_TRUE(parse_axis("hw", &a));
  Problem base, p;
  std::string err;
  ASSERT_TRUE(parse_problem("mb1ic3ih32oc64kh3ph1", &base, &err)) << err;
  EXPECT_EQ(with_axis_value(base, Axis::hw, 43, &p), "");
  EXPECT_EQ(p.in[1], 43);
  EXPECT_EQ(p.in[2], 43);
  EXPECT_EQ(with_axis_value(base, Axis::r, 7, &p), "");
  EXPECT_EQ(p.kernel[1], 7);
  EXPECT_EQ(p.kernel[2], 7);
  EXPECT_EQ(p.pad_begin[1], 3);  // "same" padding kept
  EXPECT_EQ(p.out()[1], 32);
  EXPECT_NE(with_axis_value(base, Axis::n, 0, &p), "");  // invalid: validate()'s message
  EXPECT_EQ(with_axis_value(base, Axis::c, 16, &p), "");
  EXPECT_EQ(p.ic, 16);
}

TEST(Axis, EveryNameRoundTrips) {
  for (const auto& [axis, name] : kAxisNames) {
    Axis parsed_axis;
    ASSERT_TRUE(parse_axis(name, &parsed_axis)) << name;
    EXPECT_EQ(parsed_axis, axis);
    EXPECT_EQ(to_string(axis), name);
  }
}

TEST(Axis, ValuesOfEachAxis) {
  const Problem p = parsed("g2mb5ic4ih20iw30oc6kh3kw5ph1pw2");
  EXPECT_EQ(axis_value(p, Axis::h), 20);
  EXPECT_EQ(axis_value(p, Axis::w), 30);
  EXPECT_EQ(axis_value(p, Axis::c), 4);
  EXPECT_EQ(axis_value(p, Axis::k), 6);
  EXPECT_EQ(axis_value(p, Axis::n), 5);
  EXPECT_EQ(axis_value(p, Axis::r), 3);
}

// Issue 14: bisect read hw as H while fault thresholds read max(H, W). Now both read max(H, W).
TEST(Axis, HwReadsTheLargerOfHAndW) {
  EXPECT_EQ(axis_value(parsed("mb1ic3ih20iw30oc8kh3ph1"), Axis::hw), 30);
  EXPECT_EQ(axis_value(parsed("mb1ic3ih30iw20oc8kh3ph1"), Axis::hw), 30);
  EXPECT_EQ(axis_value(parsed("mb1ic3ih32oc8kh3ph1"), Axis::hw), 32);  // square: H, as before
}

TEST(Axis, SettingHwMakesTheProblemSquare) {
  Problem p;
  ASSERT_EQ(with_axis_value(parsed("mb1ic3ih20iw30oc8kh3ph1"), Axis::hw, 24, &p), "");
  EXPECT_EQ(p.in[1], 24);
  EXPECT_EQ(p.in[2], 24);
  EXPECT_EQ(axis_value(p, Axis::hw), 24);  // what was set reads back
}

TEST(Axis, SettingDropsTheLabel) {
  Problem p;
  ASSERT_EQ(with_axis_value(parsed("mb1ic3ih32oc8kh3ph1n\"layer\""), Axis::k, 16, &p), "");
  EXPECT_TRUE(p.label.empty());
}

}  // namespace
}  // namespace convprobe
