// How the cudnn plugin times a candidate on a real GPU: every launch counted, short kernels batched (as a
// CUDA graph when the plan can be captured), far slower candidates cut to one sample.
#include <gtest/gtest.h>

#include "gpu_test_util.hpp"

namespace convprobe::cudnn {
namespace {

using testing::SilentContext;

Problem tiny_forward() {
  Problem p;
  p.mb = 1, p.ic = 8, p.oc = 16, p.in = {1, 8, 8}, p.kernel = {1, 3, 3}, p.set_pads({0, 1, 1});
  return p;
}

// The first candidate of the given family that passes.
TrialResult first_pass(Backend& b, const Problem& p, const TrialOptions& o, const std::string& family) {
  SilentContext ctx;
  for (const Candidate& c : b.candidates(p, o)) {
    if (c.family != family) continue;
    TrialResult r = b.run_trial(p, c, o, ctx);
    if (r.verdict == Verdict::pass) return r;
  }
  ADD_FAILURE() << "no " << family << " candidate passed on " << to_string(p);
  return {};
}

TEST(GPU_Timing, ShortKernelsAreBatchedAndEveryLaunchIsCounted) {
  CONVPROBE_REQUIRE_GPU();
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  TrialOptions o;
  o.warmup = 1;
  o.repeats = 3;
  o.backend_options.insert_or_assign("knob_samples", std::string("0"));
  for (const char* family : {"legacy", "engine"}) {
    const TrialResult r = first_pass(loaded->get(), tiny_forward(), o, family);
    ASSERT_TRUE(r.time.has_value()) << family;
    // A kernel of a few microseconds: samples of several launches, 1 verified + 1 warm-up + 1 first sample
    // + 3 batched samples.
    EXPECT_NE(r.detail.find("launches each"), std::string::npos) << r.detail;
    EXPECT_GT(r.time->launches, 1 + 1 + 1 + 3) << r.detail;
    EXPECT_EQ(r.time->repeats, 3) << r.detail;
    EXPECT_NE(r.detail.find("CUDA graph)"), std::string::npos) << family << " not captured: " << r.detail;
  }
}

TEST(GPU_Timing, FarSlowerThanTheBestSoFarGetsOneSample) {
  CONVPROBE_REQUIRE_GPU();
  auto loaded = testing::load_cudnn();
  ASSERT_NE(loaded, nullptr);
  TrialOptions o;
  o.warmup = 2;
  o.repeats = 10;
  o.backend_options.insert_or_assign("knob_samples", std::string("0"));
  o.best_so_far_ms = 1e-6;  // nothing real is within 3x of a nanosecond
  const TrialResult r = first_pass(loaded->get(), tiny_forward(), o, "legacy");
  ASSERT_TRUE(r.time.has_value());
  EXPECT_EQ(r.time->repeats, 1) << r.detail;
  EXPECT_EQ(r.time->launches, 2) << r.detail;  // the verified run and the one confirming sample
  EXPECT_NE(r.detail.find("fewer repeats"), std::string::npos) << r.detail;
}

}  // namespace
}  // namespace convprobe::cudnn
