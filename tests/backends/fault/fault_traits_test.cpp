// The fault backend's traits (src/backends/fault/fault_traits.cpp), what the CLI and the selftest know about
// it without loading it: the unlisted ids it runs, and what each of its candidates must produce.
#include <gtest/gtest.h>

#include "backends/fault/fault_spec.hpp"
#include "exec/backend_registry.hpp"

namespace convprobe {
namespace {

Problem problem_with_hw(int64_t hw) {
  Problem p;
  p.mb = 1, p.ic = 3, p.oc = 8, p.in = {1, hw, hw}, p.kernel = {1, 3, 3};
  p.set_pads({0, 1, 1});
  return p;
}

TEST(CPU_FaultTraits, UnlistedIdsAreTheFaultGrammar) {
  const auto& unlisted = backend_traits("fault").unlisted_ids;
  ASSERT_TRUE(unlisted.has_value());
  Candidate c;
  std::string err;
  ASSERT_TRUE(unlisted->parse("fault.hang@hw>100", &c, &err)) << err;
  EXPECT_EQ(c.id, "fault.hang@hw>100");
  EXPECT_EQ(c.family, "fault");
  EXPECT_FALSE(unlisted->parse("fault.hnag", &c, &err));
  EXPECT_NE(err.find("unknown fault kind 'hnag'"), std::string::npos) << err;
  EXPECT_NE(unlisted->forms.find("fault.<kind>[@<axis><op><value>]"), std::string::npos);
  EXPECT_NE(unlisted->forms.find("kind one of ok, hang, segv"), std::string::npos) << unlisted->forms;
}

TEST(CPU_FaultTraits, SelftestExpectsWhatTheIdSays) {
  const auto& plan = backend_traits("fault").selftest;
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->kind, SelftestPlan::Kind::every_candidate);
  EXPECT_EQ(plan->expected(problem_with_hw(44), "fault.hang@hw>42"), Verdict::hang);
  EXPECT_EQ(plan->expected(problem_with_hw(32), "fault.hang@hw>42"), Verdict::pass);
  EXPECT_EQ(plan->expected(problem_with_hw(32), "not.a.fault"), Verdict::failed);
  ASSERT_NE(plan->listed_ids, nullptr);
  EXPECT_EQ(plan->listed_ids(), fault::default_ids());
}

}  // namespace
}  // namespace convprobe
