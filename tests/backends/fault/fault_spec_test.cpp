// Fault ids: grammar, thresholds, expected verdicts, and the listed set.
#include "backends/fault/fault_spec.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace convprobe::fault {
namespace {

Problem square(int64_t hw, int64_t mb = 1) {
  Problem p;
  p.mb = mb;
  p.ic = 3;
  p.oc = 64;
  p.in = {1, hw, hw};
  p.kernel = {1, 3, 3};
  p.set_pads({0, 1, 1});
  return p;
}

TEST(CPU_FaultSpec, PlainKindsParse) {
  for (const auto& k : kKinds) {
    Spec s;
    std::string err;
    ASSERT_TRUE(parse_id("fault." + std::string(k.name), &s, &err)) << err;
    EXPECT_EQ(s.kind, k.kind);
    EXPECT_FALSE(s.threshold.has_value());
  }
}

TEST(CPU_FaultSpec, ThresholdsParseAndFireOnTheirSide) {
  Spec s;
  std::string err;
  ASSERT_TRUE(parse_id("fault.hang@hw>42", &s, &err)) << err;
  EXPECT_EQ(s.kind, Kind::hang);
  for (int64_t hw : {32, 42}) EXPECT_EQ(expected_verdict(s, square(hw)), Verdict::pass) << hw;
  for (int64_t hw : {43, 44, 48, 512}) EXPECT_EQ(expected_verdict(s, square(hw)), Verdict::hang) << hw;

  ASSERT_TRUE(parse_id("fault.segv@n>=3", &s, &err)) << err;
  EXPECT_FALSE(fires(s, square(8, 2)));
  EXPECT_TRUE(fires(s, square(8, 3)));

  ASSERT_TRUE(parse_id("fault.nan@c<4", &s, &err)) << err;
  EXPECT_TRUE(fires(s, square(8)));  // ic = 3
  ASSERT_TRUE(parse_id("fault.oom@k>63", &s, &err)) << err;
  EXPECT_TRUE(fires(s, square(8)));  // oc = 64
  ASSERT_TRUE(parse_id("fault.slow@r>3", &s, &err)) << err;
  EXPECT_FALSE(fires(s, square(8)));  // 3x3 filter
}

TEST(CPU_FaultSpec, HwIsTheLargerOfHeightAndWidth) {
  Problem p = square(8);
  p.in = {1, 10, 50};
  Spec s;
  std::string err;
  ASSERT_TRUE(parse_id("fault.hang@hw>42", &s, &err));
  EXPECT_TRUE(fires(s, p));
  ASSERT_TRUE(parse_id("fault.hang@h>42", &s, &err));
  EXPECT_FALSE(fires(s, p));
  ASSERT_TRUE(parse_id("fault.hang@w>42", &s, &err));
  EXPECT_TRUE(fires(s, p));
}

// Issue 14: a threshold fires exactly where bisect, walking the same axis, would put the boundary: both read
// the axes of problem/axis.hpp.
TEST(CPU_FaultSpec, ThresholdsReadTheAxesBisectWalks) {
  Problem wide = square(8);
  wide.in = {1, 40, 44};  // hw reads 44 for both
  for (const auto& [axis, name] : kAxisNames) {
    Spec s;
    std::string err;
    const int64_t value = axis_value(wide, axis);
    ASSERT_TRUE(parse_id("fault.hang@" + std::string(name) + ">=" + std::to_string(value), &s, &err)) << err;
    EXPECT_TRUE(fires(s, wide)) << name;
    ASSERT_TRUE(parse_id("fault.hang@" + std::string(name) + ">" + std::to_string(value), &s, &err)) << err;
    EXPECT_FALSE(fires(s, wide)) << name;
  }
}

TEST(CPU_FaultSpec, BadIdsNameWhatIsWrong) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"hang", "starting with 'fault.'"},
      {"fault.explode", "unknown fault kind 'explode'"},
      {"fault.hang@q>3", "unknown axis 'q'"},
      {"fault.hang@hw=3", "expected an operator"},
      {"fault.hang@hw>", "is not a non-negative integer"},
      {"fault.hang@hw>4x", "'4x' is not a non-negative integer"},
      {"fault.hang@hw>-1", "is not a non-negative integer"},
  };
  for (const auto& [id, message] : cases) {
    Spec s;
    std::string err;
    EXPECT_FALSE(parse_id(id, &s, &err)) << id;
    EXPECT_NE(err.find(message), std::string::npos) << id << ": " << err;
    EXPECT_NE(err.find(id), std::string::npos) << "the error must quote the id: " << err;
  }
}

TEST(CPU_FaultSpec, ListedIdsCoverEveryKindPlainAndThresholded) {
  const auto ids = default_ids();
  for (const auto& k : kKinds) {
    const std::string plain = "fault." + std::string(k.name);
    EXPECT_NE(std::find(ids.begin(), ids.end(), plain), ids.end()) << plain;
    EXPECT_NE(std::find(ids.begin(), ids.end(), plain + "@hw>42"), ids.end()) << plain;
  }
  EXPECT_NE(std::find(ids.begin(), ids.end(), "fault.segv@n>2"), ids.end());
  EXPECT_EQ(ids.front(), "fault.ok");
  // Worker-ending faults come last, so a problem's reference survives the ones that keep their worker.
  const auto first_ending = std::find_if(ids.begin(), ids.end(), [](const std::string& id) {
    Spec s;
    std::string err;
    return parse_id(id, &s, &err) && info(s.kind).ends_worker && id != "fault.segv@n>2";
  });
  for (auto it = first_ending; it != ids.end(); ++it) {
    Spec s;
    std::string err;
    ASSERT_TRUE(parse_id(*it, &s, &err));
    EXPECT_TRUE(info(s.kind).ends_worker) << *it;
  }
  // Every listed id parses.
  for (const auto& id : ids) {
    Spec s;
    std::string err;
    EXPECT_TRUE(parse_id(id, &s, &err)) << err;
  }
}

}  // namespace
}  // namespace convprobe::fault
