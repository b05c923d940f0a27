// The cudnn plugin end to end on a real GPU, loaded in-process: candidates, verdicts, workspace cap, math
// selection, errata, and the GPU faults.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "gpu_test_util.hpp"

namespace convprobe::cudnn {
namespace {

using testing::SilentContext;

Problem small_problem(Direction dir, DataType type = DataType::f32, Layout layout = Layout::nchw) {
  Problem p;
  p.dir = dir;
  p.type = type;
  p.layout = layout;
  p.mb = 2, p.ic = 16, p.oc = 32, p.in = {1, 14, 14}, p.kernel = {1, 3, 3}, p.set_pads({0, 1, 1});
  return p;
}

TrialOptions quick_options() {
  TrialOptions o;
  o.warmup = 1;
  o.repeats = 3;
  o.backend_options.insert_or_assign("knob_samples", std::string("1"));
  return o;
}

// Run up to `per_family` candidates of each family; every verdict must be PASS or UNSUPPORTED, at least one
// PASS.
void expect_candidates_pass(Backend& b, const Problem& p, int per_family) {
  const TrialOptions o = quick_options();
  const std::vector<Candidate> all = b.candidates(p, o);
  std::map<std::string, int> tried;
  int passed = 0;
  SilentContext ctx;
  for (const Candidate& c : all) {
    if (tried[c.family]++ >= per_family) continue;
    const TrialResult r = b.run_trial(p, c, o, ctx);
    EXPECT_TRUE(r.verdict == Verdict::pass || r.verdict == Verdict::unsupported)
        << to_string(p) << " " << c.id << ": " << to_string(r.verdict) << " " << r.detail;
    if (r.verdict == Verdict::pass) {
      ++passed;
      EXPECT_TRUE(r.time.has_value());
      EXPECT_GE(r.rel_err, 0);
      EXPECT_EQ(r.verify.math == "tf32", c.has_note("tf32") || p.type == DataType::tf32)
          << c.id << " " << r.verify.math;
    }
  }
  EXPECT_GT(passed, 0) << to_string(p);
}

TEST(GPU_Backend, OffersLegacyAndEngineCandidatesWithFrontendTags) {
  CONVPROBE_REQUIRE_GPU();
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  const std::vector<Candidate> cs = loaded->get().candidates(small_problem(Direction::fwd), quick_options());
  int legacy = 0, engine = 0;
  for (const Candidate& c : cs) {
    if (c.family == "legacy") {
      ++legacy;
      EXPECT_EQ(c.id.rfind("legacy.fwd.", 0), 0u) << c.id;
    } else if (c.family == "engine") {
      ++engine;
      EXPECT_EQ(c.id.rfind("ConvFwd_eng" + c.attrs.at("engine"), 0), 0u) << c.id;
    }
  }
  EXPECT_GT(legacy, 0);
  EXPECT_GT(engine, 0);
}

TEST(GPU_Backend, ForwardF32CandidatesPass) {
  CONVPROBE_REQUIRE_GPU();
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  expect_candidates_pass(loaded->get(), small_problem(Direction::fwd), 6);
}

TEST(GPU_Backend, BackwardDataF16NhwcCandidatesPass) {
  CONVPROBE_REQUIRE_GPU();
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  expect_candidates_pass(loaded->get(), small_problem(Direction::bwd_data, DataType::f16, Layout::nhwc), 4);
}

TEST(GPU_Backend, BackwardWeightsBf16GroupedCandidatesPass) {
  CONVPROBE_REQUIRE_GPU();
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  Problem p = small_problem(Direction::bwd_weights, DataType::bf16);
  p.g = 2;
  expect_candidates_pass(loaded->get(), p, 4);
}

TEST(GPU_Backend, WorkspaceAboveTheCapIsSkippedNotFailed) {
  CONVPROBE_REQUIRE_GPU();
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  const Problem p = small_problem(Direction::fwd);
  TrialOptions o = quick_options();
  o.max_workspace_bytes = 0;
  SilentContext ctx;
  int skipped = 0;
  for (const Candidate& c : loaded->get().candidates(p, o)) {
    if (c.family != "legacy") continue;
    const TrialResult r = loaded->get().run_trial(p, c, o, ctx);
    if (r.workspace_bytes > 0) {
      EXPECT_EQ(r.verdict, Verdict::skipped) << c.id << ": " << r.detail;
      EXPECT_NE(r.detail.find("workspace"), std::string::npos);
      ++skipped;
    }
  }
  EXPECT_GT(skipped, 0) << "no legacy algorithm needed workspace";
}

TEST(GPU_Backend, MathOptionSelectsStrictOrTf32Candidates) {
  CONVPROBE_REQUIRE_GPU();
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  TrialOptions o = quick_options();
  o.backend_options.insert_or_assign("math", std::string("strict"));
  for (const Candidate& c : loaded->get().candidates(small_problem(Direction::fwd), o)) {
    EXPECT_FALSE(c.has_note("tf32")) << c.id;
  }
  o.backend_options.insert_or_assign("math", std::string("tf32"));
  const auto tf32 = loaded->get().candidates(small_problem(Direction::fwd), o);
  EXPECT_FALSE(tf32.empty());
  for (const Candidate& c : tf32) EXPECT_TRUE(c.has_note("tf32")) << c.id;
}

// --math strict/tf32 drop engines before their configs are drawn: the lists must be exactly --math both's,
// filtered by the tf32 note (same configs, same order: each engine's knob samples have their own seed).
TEST(GPU_Backend, MathFilterBeforeSamplingKeepsTheSameCandidates) {
  CONVPROBE_REQUIRE_GPU();
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  const Problem p = small_problem(Direction::fwd);
  TrialOptions o = quick_options();
  o.backend_options.insert_or_assign("knob_samples", std::string("2"));
  o.backend_options.insert_or_assign("math", std::string("both"));
  std::vector<std::string> strict_ids, tf32_ids;
  for (const Candidate& c : loaded->get().candidates(p, o))
    (c.has_note("tf32") ? tf32_ids : strict_ids).push_back(c.id);
  ASSERT_FALSE(strict_ids.empty());
  ASSERT_FALSE(tf32_ids.empty());
  auto ids = [&](const std::string& math) {
    o.backend_options.insert_or_assign("math", math);
    std::vector<std::string> out;
    for (const Candidate& c : loaded->get().candidates(p, o)) out.push_back(c.id);
    return out;
  };
  EXPECT_EQ(ids("strict"), strict_ids);
  EXPECT_EQ(ids("tf32"), tf32_ids);
}

TEST(GPU_Backend, ErrataFileBlocksTheNamedEngine) {
  CONVPROBE_REQUIRE_GPU();
  const Problem p = small_problem(Direction::fwd);
  std::string engine;
  {
    auto loaded = testing::load_cudnn();
    ASSERT_NE(loaded, nullptr);
    for (const Candidate& c : loaded->get().candidates(p, quick_options())) {
      if (c.family == "engine") engine = c.attrs.at("engine");
    }
  }
  ASSERT_FALSE(engine.empty());
  const std::string path = ::testing::TempDir() + "/convprobe_gpu_errata.json";
  std::ofstream(path) << R"({"version":1,"rules":[{"operation":"ConvFwd","engine":)" << engine << "}]}";
  setenv("CUDNN_ERRATA_JSON_FILE", path.c_str(), 1);
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  const auto cs = loaded->get().candidates(p, quick_options());
  unsetenv("CUDNN_ERRATA_JSON_FILE");
  std::remove(path.c_str());
  for (const Candidate& c : cs) {
    if (c.family == "engine") {
      EXPECT_NE(c.attrs.at("engine"), engine) << c.id << " should be blocked";
    }
  }
}

const Candidate* find(const std::vector<Candidate>& cs, const std::string& id) {
  for (const Candidate& c : cs) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

TEST(GPU_Faults, AreListedOnlyWhenAskedFor) {
  CONVPROBE_REQUIRE_GPU();
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  unsetenv("CONVPROBE_GPU_FAULTS");
  EXPECT_EQ(find(loaded->get().candidates(small_problem(Direction::fwd), quick_options()), "fault.gpu_oom"),
            nullptr);
}

TEST(GPU_Faults, DeviceOomIsOom) {
  CONVPROBE_REQUIRE_GPU();
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  setenv("CONVPROBE_GPU_FAULTS", "1", 1);
  const Problem p = small_problem(Direction::fwd);
  const auto cs = loaded->get().candidates(p, quick_options());
  unsetenv("CONVPROBE_GPU_FAULTS");
  const Candidate* oom = find(cs, "fault.gpu_oom");
  ASSERT_NE(oom, nullptr);
  SilentContext ctx;
  const TrialResult r = loaded->get().run_trial(p, *oom, quick_options(), ctx);
  EXPECT_EQ(r.verdict, Verdict::oom) << r.detail;
  EXPECT_FALSE(r.restart_worker);
  // The context is still healthy afterwards.
  const Candidate* legacy = nullptr;
  for (const Candidate& c : cs) {
    if (c.family == "legacy") legacy = &c;
  }
  ASSERT_NE(legacy, nullptr);
  const TrialResult after = loaded->get().run_trial(p, *legacy, quick_options(), ctx);
  EXPECT_TRUE(after.verdict == Verdict::pass || after.verdict == Verdict::unsupported) << after.detail;
}

// ctest runs every test in its own process, so losing the context here harms no other test.
TEST(GPU_Faults, IllegalAddressIsCrashAndAsksForANewWorker) {
  CONVPROBE_REQUIRE_GPU();
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  setenv("CONVPROBE_GPU_FAULTS", "1", 1);
  const Problem p = small_problem(Direction::fwd);
  const auto cs = loaded->get().candidates(p, quick_options());
  unsetenv("CONVPROBE_GPU_FAULTS");
  const Candidate* bad = find(cs, "fault.gpu_illegal_address");
  ASSERT_NE(bad, nullptr);
  SilentContext ctx;
  const TrialResult r = loaded->get().run_trial(p, *bad, quick_options(), ctx);
  EXPECT_EQ(r.verdict, Verdict::crash) << r.detail;
  EXPECT_TRUE(r.restart_worker);
  EXPECT_NE(r.detail.find("sticky CUDA error"), std::string::npos) << r.detail;
  const TrialResult next = loaded->get().run_trial(p, cs.front(), quick_options(), ctx);
  EXPECT_EQ(next.verdict, Verdict::crash);
  EXPECT_TRUE(next.restart_worker);
}

}  // namespace
}  // namespace convprobe::cudnn
