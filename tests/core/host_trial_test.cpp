#include "core/host_trial.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <new>
#include <vector>

#include "core/conv_test_problems.hpp"
#include "core/reference_conv.hpp"
#include "core/workspace_limit.hpp"

namespace convprobe {
namespace {

const Candidate kCandidate{"fake.kernel", "direct", "", {}};

class RecordingContext : public TrialContext {
 public:
  void enter_phase(Phase phase, double expected_ms) override {
    phases.push_back(phase);
    expected.push_back(expected_ms);
  }
  std::vector<Phase> phases;
  std::vector<double> expected;
};

struct FakeBehaviour {
  bool correct = true;       ///< false: the output is off by 1 % everywhere
  bool write_output = true;  ///< false: store writes nothing (the poison stays)
  double reported_ms = -1;   ///< what run() returns for iterations > 0
  int runs = 0;              ///< calls of run(), all iterations
  int setups = 0;
  int64_t workspace_bytes = 4096;
};

/// A HostSetup whose kernel computes with the fp64 reference (optionally wrongly) and reports `reported_ms`.
HostSetup fake_setup(std::shared_ptr<FakeBehaviour> b) {
  return [b](const Problem& p, const Candidate&, const TrialOptions&) {
    ++b->setups;
    auto inputs = std::make_shared<const ConvTensors*>(nullptr);
    HostKernel k;
    k.workspace_bytes = b->workspace_bytes;
    k.load = [inputs](const ConvTensors& t) { *inputs = &t; };
    k.run = [b](int iteration) {
      ++b->runs;
      return iteration == 0 ? -1.0 : b->reported_ms;
    };
    k.store = [b, p, inputs](ConvTensors& t) {
      if (!b->write_output) return;
      std::vector<double> ref;
      reference_full(p, **inputs, &ref);
      HostTensor& out = t.get(output_role(p.dir));
      for (int64_t i = 0; i < out.elems(); ++i)
        out.set(i, ref[static_cast<size_t>(i)] * (b->correct ? 1 : 1.01));
    };
    return k;
  };
}

HostSetup throwing_setup(std::function<void()> thrower) {
  return [thrower](const Problem&, const Candidate&, const TrialOptions&) -> HostKernel {
    thrower();
    return {};
  };
}

TrialOptions quick() {
  TrialOptions o;
  o.warmup = 1;
  o.repeats = 5;
  return o;
}

const Problem kProblem = testing::conv2d(2, 4, 9, 9, 8, 3, 3, 1, 1);

TEST(HostTrial, CorrectKernelPassesWithTimingAndEveryPhase) {
  auto b = std::make_shared<FakeBehaviour>();
  HostProblemCache cache;
  RecordingContext ctx;
  const TrialResult r = run_host_trial(kProblem, kCandidate, quick(), ctx, cache, fake_setup(b));
  EXPECT_EQ(r.verdict, Verdict::pass) << r.detail;
  EXPECT_EQ(ctx.phases, (std::vector<Phase>{Phase::setup, Phase::run, Phase::verify, Phase::time}));
  for (double ms : ctx.expected) EXPECT_GT(ms, 0);
  EXPECT_EQ(r.phase, Phase::done);
  ASSERT_TRUE(r.time.has_value());
  EXPECT_EQ(r.time->repeats, 5);
  EXPECT_LE(r.time->min_ms, r.time->median_ms);
  EXPECT_LE(r.time->median_ms, r.time->max_ms);
  EXPECT_GT(r.time->min_ms, 0);
  EXPECT_EQ(b->runs, 1 + 1 + 5);  // verified run, warm-up, timed runs
  EXPECT_EQ(r.time->launches, b->runs);
  EXPECT_GE(r.rel_err, 0);
  EXPECT_LE(r.rel_err, r.verify.threshold);
  EXPECT_NE(r.detail.find("rel_err"), std::string::npos);
  EXPECT_EQ(r.verify.math, "f32");
  EXPECT_EQ(r.verify.seed, quick().seed);
  EXPECT_EQ(r.verify.points, kProblem.output_elems());
  EXPECT_EQ(r.workspace_bytes, 4096);
  EXPECT_EQ(r.device, "cpu");
  EXPECT_GT(r.wall_ms, 0);
}

TEST(HostTrial, WrongOrMissingOutputIsAMismatch) {
  auto b = std::make_shared<FakeBehaviour>();
  b->correct = false;
  HostProblemCache cache;
  RecordingContext ctx;
  TrialResult r = run_host_trial(kProblem, kCandidate, quick(), ctx, cache, fake_setup(b));
  EXPECT_EQ(r.verdict, Verdict::mismatch);
  EXPECT_EQ(r.phase, Phase::verify);
  EXPECT_FALSE(r.time.has_value());
  EXPECT_NEAR(r.rel_err, 0.01, 1e-6);

  // A candidate that writes nothing after one that wrote everything: the runner re-poisons the output, so
  // the earlier candidate's numbers cannot pass for this one's.
  b->correct = true;
  ASSERT_EQ(run_host_trial(kProblem, kCandidate, quick(), ctx, cache, fake_setup(b)).verdict, Verdict::pass);
  b->write_output = false;
  r = run_host_trial(kProblem, kCandidate, quick(), ctx, cache, fake_setup(b));
  EXPECT_EQ(r.verdict, Verdict::mismatch);
  EXPECT_NE(r.detail.find("untouched (poison)"), std::string::npos) << r.detail;
}

TEST(HostTrial, ExceptionsBecomeVerdicts) {
  HostProblemCache cache;
  RecordingContext ctx;
  TrialResult r =
      run_host_trial(kProblem, kCandidate, quick(), ctx, cache,
                     throwing_setup([] { throw TrialError(Verdict::unsupported, "no 3x3 on this ISA"); }));
  EXPECT_EQ(r.verdict, Verdict::unsupported);
  EXPECT_EQ(r.detail, "no 3x3 on this ISA");
  EXPECT_EQ(r.phase, Phase::setup);

  r = run_host_trial(kProblem, kCandidate, quick(), ctx, cache,
                     throwing_setup([] { throw std::bad_alloc(); }));
  EXPECT_EQ(r.verdict, Verdict::oom);
  EXPECT_NE(r.detail.find("setup"), std::string::npos);

  r = run_host_trial(kProblem, kCandidate, quick(), ctx, cache,
                     throwing_setup([] { throw std::runtime_error("primitive creation failed"); }));
  EXPECT_EQ(r.verdict, Verdict::failed);
  EXPECT_EQ(r.detail, "primitive creation failed");

  r = run_host_trial(kProblem, kCandidate, quick(), ctx, cache, throwing_setup([] {}));  // empty kernel
  EXPECT_EQ(r.verdict, Verdict::failed);
  EXPECT_NE(r.detail.find("incomplete kernel"), std::string::npos);
}

TEST(HostTrial, OutOfMemoryWhileRunningNamesThePhase) {
  auto b = std::make_shared<FakeBehaviour>();
  HostSetup setup = [b, inner = fake_setup(b)](const Problem& p, const Candidate& c, const TrialOptions& o) {
    HostKernel k = inner(p, c, o);
    k.run = [](int) -> double { throw std::bad_alloc(); };
    return k;
  };
  HostProblemCache cache;
  RecordingContext ctx;
  const TrialResult r = run_host_trial(kProblem, kCandidate, quick(), ctx, cache, setup);
  EXPECT_EQ(r.verdict, Verdict::oom);
  EXPECT_EQ(r.phase, Phase::run);
  EXPECT_NE(r.detail.find("run"), std::string::npos);
}

TEST(HostTrial, ImpossibleTimingsFail) {
  for (double bad : {0.0, -0.0, std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
    auto b = std::make_shared<FakeBehaviour>();
    b->reported_ms = bad;
    HostProblemCache cache;
    RecordingContext ctx;
    const TrialResult r = run_host_trial(kProblem, kCandidate, quick(), ctx, cache, fake_setup(b));
    EXPECT_EQ(r.verdict, Verdict::failed) << bad;
    EXPECT_EQ(r.phase, Phase::time);
    EXPECT_NE(r.detail.find("impossible timing"), std::string::npos) << r.detail;
  }
}

TEST(HostTrial, KernelReportedTimesAreUsed) {
  auto b = std::make_shared<FakeBehaviour>();
  b->reported_ms = 2.5;
  HostProblemCache cache;
  RecordingContext ctx;
  TrialOptions o = quick();
  o.min_time_ms = 20;  // 5 repeats of 2.5 ms are not enough: 8 are
  const TrialResult r = run_host_trial(kProblem, kCandidate, o, ctx, cache, fake_setup(b));
  ASSERT_EQ(r.verdict, Verdict::pass) << r.detail;
  EXPECT_DOUBLE_EQ(r.time->median_ms, 2.5);
  EXPECT_EQ(r.time->repeats, 8);
}

TEST(HostTrial, TimeCapStopsLongRunsAfterThreeSamples) {
  auto b = std::make_shared<FakeBehaviour>();
  b->reported_ms = 400;
  HostProblemCache cache;
  RecordingContext ctx;
  TrialOptions o = quick();
  o.repeats = 10;
  o.max_time_ms = 1000;  // 3 x 400 ms pass the cap; 2 x 400 ms do not
  TrialResult r = run_host_trial(kProblem, kCandidate, o, ctx, cache, fake_setup(b));
  ASSERT_EQ(r.verdict, Verdict::pass) << r.detail;
  EXPECT_EQ(r.time->repeats, 3);
  EXPECT_EQ(r.time->launches, 1 + 1 + 3);
  o.max_time_ms = 0;  // no cap: every repeat
  r = run_host_trial(kProblem, kCandidate, o, ctx, cache, fake_setup(b));
  EXPECT_EQ(r.time->repeats, 10);
}

TEST(HostTrial, FarSlowerThanTheBestGetsFewerRepeats) {
  auto b = std::make_shared<FakeBehaviour>();
  b->reported_ms = 50;
  HostProblemCache cache;
  RecordingContext ctx;
  TrialOptions o = quick();
  o.repeats = 10;
  o.min_time_ms = 1000;
  o.best_so_far_ms = 50 / (kSlowCandidateFactor + 1);
  TrialResult r = run_host_trial(kProblem, kCandidate, o, ctx, cache, fake_setup(b));
  ASSERT_EQ(r.verdict, Verdict::pass) << r.detail;
  EXPECT_EQ(r.time->repeats, kSlowCandidateRepeats);
  o.best_so_far_ms = 50 / (kSlowCandidateFactor - 1);  // slower, but not by the factor
  o.min_time_ms = 0;
  r = run_host_trial(kProblem, kCandidate, o, ctx, cache, fake_setup(b));
  EXPECT_EQ(r.time->repeats, 10);
}

TEST(HostTrial, WorkspaceOverTheCapIsSkipped) {
  auto b = std::make_shared<FakeBehaviour>();
  HostProblemCache cache;
  RecordingContext ctx;
  TrialOptions o = quick();
  o.max_workspace_bytes = 1024;
  const TrialResult r = run_host_trial(kProblem, kCandidate, o, ctx, cache, fake_setup(b));
  EXPECT_EQ(r.verdict, Verdict::skipped);
  EXPECT_NE(r.detail.find("4096"), std::string::npos);
  EXPECT_EQ(cache.input_builds(), 0);  // nothing allocated for a skipped candidate
}

// Issue 13: more workspace than the machine has is not a failure of the candidate.
TEST(HostTrial, WorkspaceAboveTheHostsMemoryIsSkipped) {
  auto b = std::make_shared<FakeBehaviour>();
  b->workspace_bytes = host_memory_bytes() + 1;
  HostProblemCache cache;
  RecordingContext ctx;
  const TrialResult r = run_host_trial(kProblem, kCandidate, quick(), ctx, cache, fake_setup(b));
  EXPECT_EQ(r.verdict, Verdict::skipped);
  EXPECT_NE(r.detail.find("workspace; device has"), std::string::npos) << r.detail;
  EXPECT_EQ(cache.input_builds(), 0);
}

TEST(HostTrial, VerifyAndTimeCanBeTurnedOff) {
  auto b = std::make_shared<FakeBehaviour>();
  b->correct = false;
  HostProblemCache cache;
  RecordingContext ctx;
  TrialOptions o = quick();
  o.verify = false;
  o.time = false;
  const TrialResult r = run_host_trial(kProblem, kCandidate, o, ctx, cache, fake_setup(b));
  EXPECT_EQ(r.verdict, Verdict::pass);
  EXPECT_EQ(r.detail, "not verified");
  EXPECT_FALSE(r.time.has_value());
  EXPECT_EQ(ctx.phases, (std::vector<Phase>{Phase::setup, Phase::run}));
  EXPECT_EQ(cache.reference_builds(), 0);
}

TEST(HostProblemCache, OneReferencePerProblemSharedByItsCandidates) {
  auto b = std::make_shared<FakeBehaviour>();
  HostProblemCache cache;
  RecordingContext ctx;
  const TrialOptions o = quick();
  for (const char* id : {"fake.a", "fake.b"}) {
    const TrialResult r =
        run_host_trial(kProblem, Candidate{id, "direct", "", {}}, o, ctx, cache, fake_setup(b));
    EXPECT_EQ(r.verdict, Verdict::pass) << r.detail;
  }
  EXPECT_EQ(b->setups, 2);
  EXPECT_EQ(cache.input_builds(), 1);
  EXPECT_EQ(cache.reference_builds(), 1);

  Problem other = kProblem;
  other.dir = Direction::bwd_data;
  EXPECT_EQ(run_host_trial(other, kCandidate, o, ctx, cache, fake_setup(b)).verdict, Verdict::pass);
  EXPECT_EQ(cache.reference_builds(), 2);
  TrialOptions reseeded = o;
  reseeded.seed += 1;  // other inputs: another reference
  EXPECT_EQ(run_host_trial(other, kCandidate, reseeded, ctx, cache, fake_setup(b)).verdict, Verdict::pass);
  EXPECT_EQ(cache.input_builds(), 3);
  EXPECT_EQ(cache.reference_builds(), 3);
  reseeded.repeats = 2;  // timing options do not touch the reference
  EXPECT_EQ(run_host_trial(other, kCandidate, reseeded, ctx, cache, fake_setup(b)).verdict, Verdict::pass);
  EXPECT_EQ(cache.reference_builds(), 3);
}

}  // namespace
}  // namespace convprobe
