// The per-shape choice (policy/fastest_pass.hpp): a candidate qualifies on a problem only when every one of
// its trials there passed with a time; failures on other problems do not count; fastest median first.
#include "policy/fastest_pass.hpp"

#include <gtest/gtest.h>

#include "policy_fixtures.hpp"

namespace convprobe {
namespace {

using test::make_trials;

const std::string kSmall = "mb1ic3ih32oc64kh3ph1", kBig = "mb1ic3ih44oc64kh3ph1";

TEST(FastestPass, KeepsACandidateWhereItPassedThoughItFailsElsewhere) {
  const auto ranked = rank_passing_candidates(
      "miopen", make_trials("miopen", {{kSmall, "gemm", "gemm", Verdict::pass, 1.0},
                                       {kSmall, "direct", "direct", Verdict::pass, 2.0},
                                       {kBig, "gemm", "gemm", Verdict::hang},
                                       {kBig, "direct", "direct", Verdict::pass, 2.5}}));
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].problem, kSmall);
  ASSERT_EQ(ranked[0].ranked.size(), 2u);
  EXPECT_EQ(ranked[0].ranked[0].candidate.id, "gemm");
  EXPECT_EQ(ranked[1].problem, kBig);
  ASSERT_EQ(ranked[1].ranked.size(), 1u);
  EXPECT_EQ(ranked[1].ranked[0].candidate.id, "direct");
}

TEST(FastestPass, EveryTrialOnTheProblemMustPassWithATime) {
  auto trials = make_trials("miopen", {{kSmall, "flaky", "gemm", Verdict::pass, 0.1},
                                       {kSmall, "flaky", "gemm", Verdict::crash},  // a second run crashed
                                       {kSmall, "untimed", "direct", Verdict::pass},
                                       {kSmall, "unsupported", "fft", Verdict::unsupported},
                                       {kSmall, "steady", "direct", Verdict::pass, 3.0},
                                       {kSmall, "steady", "direct", Verdict::pass, 1.0},
                                       {kSmall, "steady", "direct", Verdict::pass, 2.0}});
  trials[4].result.workspace_bytes = 64;
  trials[5].result.workspace_bytes = 4096;
  const auto ranked = rank_passing_candidates("miopen", trials);
  ASSERT_EQ(ranked.size(), 1u);
  ASSERT_EQ(ranked[0].ranked.size(), 1u);
  const PassingCandidate& steady = ranked[0].ranked[0];
  EXPECT_EQ(steady.candidate.id, "steady");
  EXPECT_DOUBLE_EQ(steady.median_ms, 2.0);  // the median of its three medians
  EXPECT_EQ(steady.workspace_bytes, 4096);  // the most it used
  EXPECT_EQ(steady.trials, 3u);
}

TEST(FastestPass, TiesGoByIdAndAProblemWithoutAPassSaysWhy) {
  auto trials = make_trials("miopen", {{kSmall, "b", "gemm", Verdict::pass, 1.0},
                                       {kSmall, "a", "gemm", Verdict::pass, 1.0},
                                       {kBig, "b", "gemm", Verdict::hang},
                                       {kBig, "a", "gemm", Verdict::pass},
                                       {kBig, "elsewhere", "gemm", Verdict::pass, 1.0}});
  trials.back().backend = "cudnn";  // another backend's pass is not MIOpen's
  const auto ranked = rank_passing_candidates("miopen", trials);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].problem, kSmall);  // sorted by key
  EXPECT_EQ(ranked[0].ranked[0].candidate.id, "a");
  EXPECT_EQ(ranked[1].problem, kBig);
  EXPECT_TRUE(ranked[1].ranked.empty());
  EXPECT_EQ(ranked[1].none_reason, "no candidate passed every trial: a PASS without a time, b HANG");
}

}  // namespace
}  // namespace convprobe
