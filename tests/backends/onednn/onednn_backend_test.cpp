// The oneDNN plugin's contract: info, candidate ids and families, unsupported types, re-selection of an
// implementation from a stored candidate, and bf16 where the CPU has kernels for it.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <string>

#include "onednn_fixture.hpp"

namespace convprobe::testing {
namespace {

/// 2-D forward problem mb2 ic16 14x14 -> oc32, 3x3, pad 1: every algorithm has something to offer.
Problem conv3x3(DataType type = DataType::f32, Direction dir = Direction::fwd) {
  Problem p;
  p.dir = dir;
  p.type = type;
  p.mb = 2;
  p.ic = 16;
  p.oc = 32;
  p.in = {1, 14, 14};
  p.kernel = {1, 3, 3};
  p.set_pads({0, 1, 1});
  return p;
}

TEST_F(OnednnTest, InfoNamesVersionAndCpu) {
  const BackendInfo info = backend().info();
  EXPECT_EQ(info.name, "onednn");
  EXPECT_TRUE(info.available) << info.reason;
  EXPECT_TRUE(std::regex_match(info.version, std::regex(R"(oneDNN \d+\.\d+\.\d+)"))) << info.version;
  ASSERT_EQ(info.devices.size(), 1u);
  EXPECT_TRUE(std::regex_match(info.devices[0].name, std::regex(R"(cpu \([a-z0-9_]+, \d+ threads\))")))
      << info.devices[0].name;
  const auto prefixes = backend().relevant_env_prefixes();
  EXPECT_NE(std::find(prefixes.begin(), prefixes.end(), "ONEDNN_"), prefixes.end());
  EXPECT_NE(std::find(prefixes.begin(), prefixes.end(), "OMP_"), prefixes.end());
}

TEST_F(OnednnTest, CandidateIdsAreUniqueStableAndDescribeThemselves) {
  const Problem p = conv3x3();
  const auto first = backend().candidates(p, quick_options());
  const auto again = backend().candidates(p, quick_options());
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first, again);
  std::set<std::string> ids;
  for (const Candidate& c : first) {
    EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
    ASSERT_TRUE(c.attrs.count("algorithm") && c.attrs.count("impl")) << c.id;
    // The id is "<algorithm>:<implementation>".
    EXPECT_EQ(c.id.rfind(c.attrs.at("algorithm") + ":" + c.attrs.at("impl"), 0), 0u) << c.id;
    EXPECT_TRUE(c.family == "direct" || c.family == "winograd" || c.family == "gemm" ||
                c.family == "reference")
        << c.id << " family " << c.family;
  }
}

TEST_F(OnednnTest, ThreeByThreeF32HasSeveralFamilies) {
  std::set<std::string> families;
  std::set<std::string> algorithms;
  for (const Candidate& c : backend().candidates(conv3x3(), quick_options())) {
    families.insert(c.family);
    algorithms.insert(c.attrs.at("algorithm"));
  }
  // direct jit kernels, gemm and the reference exist on every x86-64 CPU; winograd needs avx512_core.
  EXPECT_TRUE(families.count("direct") && families.count("gemm") && families.count("reference"))
      << ::testing::PrintToString(families);
  EXPECT_TRUE(algorithms.count("direct") && algorithms.count("auto")) << ::testing::PrintToString(algorithms);
}

TEST_F(OnednnTest, EveryF32CandidateOfAThreeByThreeProblemPasses) {
  for (Direction dir : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights}) {
    const Problem p = conv3x3(DataType::f32, dir);
    for (const Candidate& c : backend().candidates(p, quick_options())) {
      const TrialResult r = run(p, c);
      EXPECT_EQ(r.verdict, Verdict::pass) << to_string(p) << " " << c.id << ": " << r.detail;
      if (r.verdict == Verdict::pass) {
        EXPECT_TRUE(r.time.has_value()) << c.id;
        EXPECT_GE(r.workspace_bytes, 0) << c.id;
      }
    }
  }
}

TEST_F(OnednnTest, Tf32HasNoCandidatesAndSaysWhy) {
  const Problem p = conv3x3(DataType::tf32);
  EXPECT_TRUE(backend().candidates(p, quick_options()).empty());
  Candidate c;
  c.id = "direct:ref:any";
  const TrialResult r = run(p, c);
  EXPECT_EQ(r.verdict, Verdict::unsupported) << r.detail;
  EXPECT_NE(r.detail.find("TF32"), std::string::npos) << r.detail;
}

TEST_F(OnednnTest, Bf16CandidatesPassWhereTheCpuHasThem) {
  int ran = 0;
  for (Direction dir : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights}) {
    const Problem p = conv3x3(DataType::bf16, dir);
    for (const Candidate& c : backend().candidates(p, quick_options())) {
      const TrialResult r = run(p, c);
      EXPECT_EQ(r.verdict, Verdict::pass) << to_string(p) << " " << c.id << ": " << r.detail;
      ++ran;
    }
  }
  if (ran == 0) GTEST_SKIP() << "oneDNN offers no bf16 convolution on this CPU";
}

TEST_F(OnednnTest, CandidateRebuiltFromItsIdAloneRuns) {
  const Problem p = conv3x3(DataType::f32, Direction::bwd_data);
  const auto candidates = backend().candidates(p, quick_options());
  ASSERT_FALSE(candidates.empty());
  Candidate bare;
  bare.id = candidates.back().id;  // what a user passes with --candidates or a store row keeps
  const TrialResult r = run(p, bare);
  EXPECT_EQ(r.verdict, Verdict::pass) << bare.id << ": " << r.detail;
}

TEST_F(OnednnTest, VanishedImplementationIsUnsupportedAndBadIdFails) {
  const Problem p = conv3x3();
  Candidate gone;
  gone.id = "direct:jit:no_such_isa";
  const TrialResult r = run(p, gone);
  EXPECT_EQ(r.verdict, Verdict::unsupported) << r.detail;
  EXPECT_NE(r.detail.find("jit:no_such_isa"), std::string::npos) << r.detail;

  Candidate bogus;
  bogus.id = "fft:whatever";
  const TrialResult bad = run(p, bogus);
  EXPECT_EQ(bad.verdict, Verdict::failed) << bad.detail;
  EXPECT_NE(bad.detail.find("fft:whatever"), std::string::npos) << bad.detail;
}

}  // namespace
}  // namespace convprobe::testing
