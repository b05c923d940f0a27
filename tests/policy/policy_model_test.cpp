#include "policy/policy_model.hpp"

#include <gtest/gtest.h>

#include "policy/policy_file.hpp"
#include "policy_fixtures.hpp"

namespace convprobe {
namespace {

using test::make_trials;
const Verdict PASS = Verdict::pass;

std::vector<std::string> blocked_ids(const Policy& p) {
  std::vector<std::string> ids;
  for (const auto& b : p.blocked) ids.push_back(b.candidate.id);
  return ids;
}

TEST(PolicyModel, BlocksFailuresButNotUnsupportedOrSkipped) {
  const auto trials = make_trials("fault", {{"p1", "a", "fault", Verdict::hang, 0, "phase run"},
                                            {"p1", "b", "fault", Verdict::unsupported},
                                            {"p1", "c", "fault", Verdict::skipped},
                                            {"p1", "d", "fault", Verdict::crash, 0, "SIGSEGV"},
                                            {"p1", "e", "fault", Verdict::mismatch},
                                            {"p1", "f", "fault", Verdict::oom},
                                            {"p1", "g", "fault", Verdict::failed},
                                            {"p1", "ok", "fault", PASS, 1.0}});
  const Policy p = derive_policy("fault", trials, {});
  EXPECT_EQ(blocked_ids(p), (std::vector<std::string>{"a", "d", "e", "f", "g"}));
  ASSERT_EQ(p.blocked[0].evidence.size(), 1u);
  EXPECT_EQ(p.blocked[0].evidence[0].verdict, Verdict::hang);
  EXPECT_EQ(p.blocked[0].evidence[0].detail, "phase run");
  EXPECT_EQ(p.blocked[0].evidence[0].run_id, 1);
  EXPECT_EQ(p.blocked[0].reason, "HANG on 1 problem");
  ASSERT_EQ(p.preferred.size(), 1u);
  EXPECT_EQ(p.preferred[0].candidate, "ok");
}

TEST(PolicyModel, AFailureOnOneProblemBlocksEverywhereAndCitesEachProblem) {
  const auto trials = make_trials("fault", {{"small", "h", "fault", PASS, 1.0},
                                            {"big1", "h", "fault", Verdict::hang},
                                            {"big2", "h", "fault", Verdict::hang},
                                            {"big2", "h", "fault", Verdict::crash}});
  const Policy p = derive_policy("fault", trials, {});
  ASSERT_EQ(p.blocked.size(), 1u);
  EXPECT_EQ(p.blocked[0].evidence.size(), 3u);
  EXPECT_EQ(p.blocked[0].reason, "HANG on 2 problems, CRASH on 1 problem");
  EXPECT_TRUE(p.preferred.empty());  // its only pass does not make a blocked candidate preferred
}

TEST(PolicyModel, OtherBackendsAreIgnored) {
  auto trials = make_trials("onednn", {{"p", "x", "direct", Verdict::hang}});
  const Policy p = derive_policy("fault", trials, {});
  EXPECT_TRUE(p.blocked.empty());
}

TEST(PolicyModel, BlockSlowerBlocksOnlyCandidatesSlowOnEveryProblem) {
  const auto trials = make_trials("cudnn", {{"p1", "fast", "engine", PASS, 1.0},
                                            {"p1", "slow", "engine", PASS, 2.0},
                                            {"p1", "mixed", "engine", PASS, 3.0},
                                            {"p2", "fast", "engine", PASS, 1.0},
                                            {"p2", "slow", "engine", PASS, 1.5},
                                            {"p2", "mixed", "engine", PASS, 1.1},
                                            {"p3", "slow", "engine", Verdict::unsupported}});
  PolicyOptions o;
  o.block_slower = 1.2;
  const Policy p = derive_policy("cudnn", trials, o);
  EXPECT_EQ(blocked_ids(p), (std::vector<std::string>{"slow"}));
  EXPECT_TRUE(p.blocked[0].slow);
  EXPECT_EQ(p.blocked[0].evidence.size(), 2u);
}

TEST(PolicyModel, BlockSlowerNeverBlocksAWinner) {
  // "w" is slow everywhere except p3, where it is the fastest: it must stay.
  const auto trials = make_trials("cudnn", {{"p1", "a", "engine", PASS, 1.0},
                                            {"p1", "w", "engine", PASS, 9.0},
                                            {"p2", "a", "engine", PASS, 1.0},
                                            {"p2", "w", "engine", PASS, 9.0},
                                            {"p3", "a", "engine", PASS, 5.0},
                                            {"p3", "w", "engine", PASS, 4.0}});
  PolicyOptions o;
  o.block_slower = 1.0;
  const Policy p = derive_policy("cudnn", trials, o);
  EXPECT_TRUE(p.blocked.empty()) << p.blocked[0].candidate.id;
}

TEST(PolicyModel, BlockSlowerMeasuresAgainstTheBestSurvivor) {
  // The fastest on p1 hangs elsewhere: the runner-up must not look slow next to a blocked candidate.
  const auto trials = make_trials("cudnn", {{"p1", "hangs", "engine", PASS, 1.0},
                                            {"p1", "second", "engine", PASS, 3.0},
                                            {"p2", "hangs", "engine", Verdict::hang}});
  PolicyOptions o;
  o.block_slower = 1.2;
  const Policy p = derive_policy("cudnn", trials, o);
  EXPECT_EQ(blocked_ids(p), (std::vector<std::string>{"hangs"}));
  ASSERT_EQ(p.preferred.size(), 1u);
  EXPECT_EQ(p.preferred[0].candidate, "second");
}

TEST(PolicyFile, RoundTripsAndFilters) {
  const auto trials = make_trials("fault", {{"p1", "fault.hang@hw>42", "fault", Verdict::hang, 0, "run"},
                                            {"p1", "fault.ok", "fault", PASS, 0.5}});
  Policy p = derive_policy("fault", trials, {});
  p.env.emplace("MIOPEN_DEBUG_CONV_GEMM", "0");
  Policy back;
  std::string err;
  ASSERT_TRUE(policy_from_json(policy_to_json(p), &back, &err)) << err;
  EXPECT_EQ(policy_to_json(back), policy_to_json(p));
  std::vector<Candidate> removed;
  const auto kept = apply_policy(
      back, {Candidate{"fault.ok", "fault", "", {}}, Candidate{"fault.hang@hw>42", "fault", "", {}}},
      &removed);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].id, "fault.ok");
  ASSERT_EQ(removed.size(), 1u);
}

TEST(PolicyFile, RejectsBadFieldsNamingThem) {
  Policy p;
  std::string err;
  EXPECT_FALSE(policy_from_json(nlohmann::json::parse(R"({"schema_version": 2, "backend": "x"})"), &p, &err));
  EXPECT_NE(err.find("schema_version 2"), std::string::npos) << err;
  EXPECT_FALSE(policy_from_json(nlohmann::json::parse(R"({"schema_version": 1, "backend": "x",
      "blocked": [{"candidate": 3}]})"),
                                &p, &err));
  EXPECT_NE(err.find("blocked[0].candidate"), std::string::npos) << err;
  EXPECT_FALSE(policy_from_json(nlohmann::json::parse(R"({"schema_version": 1, "backend": "x",
      "env": {"A;rm -rf /": "1"}})"),
                                &p, &err));
  EXPECT_NE(err.find("env name"), std::string::npos) << err;
  EXPECT_FALSE(policy_from_json(nlohmann::json::parse(R"({"schema_version": 1, "backend": "x",
      "env": {"A": "1\n2"}})"),
                                &p, &err));
  EXPECT_FALSE(load_policy("/nonexistent/policy.json", &p, &err));
  EXPECT_NE(err.find("/nonexistent/policy.json"), std::string::npos);
}

}  // namespace
}  // namespace convprobe
