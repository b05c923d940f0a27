// The plan-tag format is written by the cuDNN backend (candidate ids) and read by the errata emitter and
// matcher: one writer and one reader in vendor/, which must be each other's inverse (issue 14, item 2).
#include "vendor/cudnn_plan_tag.hpp"

#include <gtest/gtest.h>

namespace convprobe::cudnn {
namespace {

TEST(CPU_PlanTag, FormatsAsCudnnFrontendBuildsTags) {
  EXPECT_EQ(format_plan_tag("ConvFwd", 67, {{2, 5}, {13, 0}}), "ConvFwd_eng67_k2=5_k13=0");
  EXPECT_EQ(format_plan_tag("ConvBwdData", 5, {}), "ConvBwdData_eng5");
  EXPECT_EQ(format_plan_tag("ConvBwdFilter", 68, {{12, -1}}), "ConvBwdFilter_eng68_k12=-1");
  EXPECT_EQ(engine_prefix("ConvFwd", 6), "ConvFwd_eng6_");
}

TEST(CPU_PlanTag, ParsesWhatItFormats) {
  const std::vector<std::pair<std::string, PlanKnobs>> cases = {
      {"ConvFwd", {}},
      {"ConvFwd", {{2, 5}, {13, 0}}},
      {"ConvBwdData", {{12, -1}}},
      {"ConvBwdFilter", {{2, 5}, {13, 0}, {18, 1}, {25, 0}, {27, 1}, {28, 1}}},
  };
  for (const auto& [operation, knobs] : cases) {
    const std::string text = format_plan_tag(operation, 68, knobs);
    PlanTag tag;
    ASSERT_TRUE(parse_plan_tag(text, &tag)) << text;
    EXPECT_EQ(tag.operation, operation);
    EXPECT_EQ(tag.engine, 68);
    EXPECT_EQ(tag.knobs.empty(), knobs.empty()) << text;
    EXPECT_EQ(to_string(tag), text);  // and back: one format, both ways
  }
}

TEST(CPU_PlanTag, SplitsTheKnobSuffixOff) {
  PlanTag t;
  ASSERT_TRUE(parse_plan_tag("ConvBwdFilter_eng68_k2=5_k13=0_k18=1_k25=0_k27=1_k28=1", &t));
  EXPECT_EQ(t.operation, "ConvBwdFilter");
  EXPECT_EQ(t.engine, 68);
  EXPECT_EQ(t.knobs, "k2=5_k13=0_k18=1_k25=0_k27=1_k28=1");
  ASSERT_TRUE(parse_plan_tag("ConvFwd_eng5", &t));
  EXPECT_EQ(t.knobs, "");
}

TEST(CPU_PlanTag, RefusesWhatIsNotATag) {
  PlanTag t;
  for (const char* id : {"legacy.fwd.IMPLICIT_GEMM", "ConvFwd_eng67_k2=5\"", "ConvFwd_engX", "ConvFwd_eng67_",
                         "Matmul_eng1", "ConvFwd_eng1_k2", ""}) {
    EXPECT_FALSE(parse_plan_tag(id, &t)) << id;
  }
}

}  // namespace
}  // namespace convprobe::cudnn
