// onednn-env's decide step as data (which cap, which implementations it removes, what cannot be capped) and
// its render step on its own.
#include "policy/emit_onednn_env.hpp"

#include <gtest/gtest.h>

#include "emitter_fixtures.hpp"

namespace convprobe {
namespace {

OnednnDecision decide(const std::vector<StoredTrial>& trials, double block_slower = 0) {
  PolicyOptions options;
  options.block_slower = block_slower;
  return decide_onednn_env(derive_policy("onednn", trials, options), trials);
}

bool has_note(const OnednnDecision& d, const std::string& start) {
  for (const auto& n : d.notes) {
    if (n.rfind(start, 0) == 0) return true;
  }
  return false;
}

const std::string kProblem = "mb2ic16ih14oc16kh3ph1";

TEST(DecideOnednnEnv, CapsBelowTheFailingAvx512KernelsAndSkipsGemm) {
  const OnednnDecision d = decide(test::onednn_trials());
  EXPECT_EQ(d.outcome, OnednnDecision::Outcome::capped);
  EXPECT_EQ(d.cap, "avx2");
  EXPECT_EQ(d.failing_isas, std::set<std::string>{"avx512_core"});
  ASSERT_EQ(d.capped.size(), 2u);
  EXPECT_EQ(d.capped[0].subject, "direct:jit:avx512_core");
  EXPECT_EQ(d.capped[1].subject, "winograd:jit_wino_4x3:avx512_core");
  EXPECT_EQ(d.capped[0].evidence.at(0).verdict, Verdict::hang);
  EXPECT_TRUE(has_note(d, "skipped direct:x64:gemm:jit: not ISA-specific"));
  EXPECT_FALSE(has_note(d, "warning:"));  // AVX2 and the reference still pass under the cap
}

TEST(DecideOnednnEnv, NothingIsCappedWhenNoIsaSpecificImplementationFailed) {
  const auto trials =
      test::make_trials("onednn", {{kProblem, "direct:x64:gemm:jit", "gemm", Verdict::failed},
                                   {kProblem, "direct:jit:avx2", "direct", Verdict::pass, 1.0}});
  const OnednnDecision d = decide(trials);
  EXPECT_EQ(d.outcome, OnednnDecision::Outcome::nothing_failed);
  EXPECT_TRUE(d.cap.empty());
  EXPECT_TRUE(has_note(d, "no ISA-specific implementation failed"));
}

TEST(DecideOnednnEnv, FailuresAtTheLowestIsaCannotBeCapped) {
  const auto trials =
      test::make_trials("onednn", {{kProblem, "direct:jit:sse41", "direct", Verdict::crash},
                                   {kProblem, "direct:ref:any", "reference", Verdict::pass, 9.0}});
  const OnednnDecision d = decide(trials);
  EXPECT_EQ(d.outcome, OnednnDecision::Outcome::uncappable);
  EXPECT_TRUE(has_note(d, "warning: implementations fail even at sse41"));
}

TEST(DecideOnednnEnv, WarnsWhenNothingThatPassedSurvivesTheCap) {
  const auto trials =
      test::make_trials("onednn", {{kProblem, "direct:jit:avx512_core", "direct", Verdict::hang},
                                   {kProblem, "direct:jit:avx512_core_bf16", "direct", Verdict::pass, 1.0}});
  const OnednnDecision d = decide(trials);
  EXPECT_EQ(d.outcome, OnednnDecision::Outcome::capped);
  EXPECT_EQ(d.cap, "avx2");
  EXPECT_TRUE(has_note(d, "warning: no implementation that passed is allowed under AVX2"));
}

TEST(DecideOnednnEnv, SlowImplementationsNeverLowerTheCap) {
  const std::string p2 = "mb2ic32ih28oc32kh3ph1";
  const auto trials =
      test::make_trials("onednn", {{kProblem, "direct:jit:avx2", "direct", Verdict::pass, 5.0},
                                   {p2, "direct:jit:avx2", "direct", Verdict::pass, 5.0},
                                   {kProblem, "direct:jit:avx512_core", "direct", Verdict::pass, 1.0},
                                   {p2, "direct:jit:avx512_core", "direct", Verdict::pass, 1.0}});
  const OnednnDecision d = decide(trials, 1.2);
  EXPECT_EQ(d.outcome, OnednnDecision::Outcome::nothing_failed);
  EXPECT_TRUE(d.capped.empty());
}

TEST(RenderOnednnEnv, WritesTheCapUpperCaseAndNothingElseWithoutOne) {
  const auto trials = test::onednn_trials();
  const Policy policy = derive_policy("onednn", trials, {});
  OnednnDecision d;
  d.outcome = OnednnDecision::Outcome::capped;
  d.cap = "avx512_core_vnni";
  d.failing_isas = {"avx512_core_bf16"};
  EmitResult r = render_onednn_env(d, EmitInput{&policy, &trials, ""});
  EXPECT_NE(r.content.find("\nexport ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI\n"), std::string::npos) << r.content;
  ASSERT_FALSE(r.notes.empty());
  EXPECT_EQ(r.notes[0], "ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI: below avx512_core_bf16");

  d.outcome = OnednnDecision::Outcome::nothing_failed;
  r = render_onednn_env(d, EmitInput{&policy, &trials, ""});
  EXPECT_EQ(r.content.find("export"), std::string::npos) << r.content;

  d.outcome = OnednnDecision::Outcome::capped;
  d.cap = "avx3";  // not a documented value: oneDNN would silently ignore it
  EXPECT_THROW((void)render_onednn_env(d, EmitInput{&policy, &trials, ""}), std::logic_error);
}

}  // namespace
}  // namespace convprobe
