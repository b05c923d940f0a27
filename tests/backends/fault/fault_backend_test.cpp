// The fault plugin loaded in this process: the faults that keep their process produce their verdicts through
// the shared CPU runner. (The worker-ending ones are covered by tests/supervisor with real workers.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "convprobe/backend.hpp"
#include "exec/plugin_loader.hpp"

namespace convprobe {
namespace {

class NullContext final : public TrialContext {
 public:
  void enter_phase(Phase phase, double /*expected_ms*/) override { phases.push_back(phase); }
  std::vector<Phase> phases;
};

class CPU_FaultBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    loaded_ = load_backend("fault", &reason);
    ASSERT_NE(loaded_, nullptr) << reason;
    std::string err;
    ASSERT_TRUE(parse_problem("mb1ic2ih9oc3kh3ph1", &problem_, &err)) << err;
    options_.warmup = 0;
    options_.repeats = 3;
  }
  TrialResult run(const std::string& id) {
    NullContext context;
    return loaded_->get().run_trial(problem_, Candidate{id, "fault", "", {}}, options_, context);
  }
  std::unique_ptr<LoadedBackend> loaded_;
  Problem problem_;
  TrialOptions options_;
};

TEST_F(CPU_FaultBackend, DeviceCountFromTheEnvironmentAndABadValueIsNamed) {
  setenv("CONVPROBE_FAULT_DEVICES", "4", 1);
  EXPECT_EQ(loaded_->get().info().devices.size(), 4u);
  for (const char* bad : {"3x", "0", "65", ""}) {
    setenv("CONVPROBE_FAULT_DEVICES", bad, 1);
    const BackendInfo info = loaded_->get().info();
    EXPECT_EQ(info.devices.size(), 2u) << bad;
    const std::string expected = std::string("CONVPROBE_FAULT_DEVICES='") + bad + "' ignored";
    EXPECT_TRUE(std::any_of(info.notes.begin(), info.notes.end(), [&](const std::string& n) {
      return n.find(expected) != std::string::npos;
    })) << bad;
  }
  unsetenv("CONVPROBE_FAULT_DEVICES");
  EXPECT_EQ(loaded_->get().info().devices.size(), 2u);
}

TEST_F(CPU_FaultBackend, InfoAndCandidates) {
  const BackendInfo info = loaded_->get().info();
  EXPECT_TRUE(info.available);
  EXPECT_EQ(info.name, "fault");
  const auto candidates = loaded_->get().candidates(problem_, options_);
  ASSERT_FALSE(candidates.empty());
  for (const auto& c : candidates) EXPECT_EQ(c.family, "fault");
}

TEST_F(CPU_FaultBackend, OkIsCorrectAndTimed) {
  const TrialResult r = run("fault.ok");
  EXPECT_EQ(r.verdict, Verdict::pass) << r.detail;
  ASSERT_TRUE(r.time.has_value());
  EXPECT_GT(r.time->median_ms, 0);
  EXPECT_EQ(r.device, "fault:0");
}

TEST_F(CPU_FaultBackend, SlowIsCorrectAndSleepsAtLeastAMillisecondPerRun) {
  const TrialResult slow = run("fault.slow");
  ASSERT_EQ(slow.verdict, Verdict::pass) << slow.detail;
  ASSERT_TRUE(slow.time.has_value());
  EXPECT_GE(slow.time->median_ms, 1.0);  // a lower bound by construction, not a measurement
}

TEST_F(CPU_FaultBackend, DamagedOutputsAreMismatches) {
  for (const char* id : {"fault.wrong", "fault.nan", "fault.partial"}) {
    const TrialResult r = run(id);
    EXPECT_EQ(r.verdict, Verdict::mismatch) << id << ": " << r.detail;
    EXPECT_EQ(r.phase, Phase::verify) << id;
  }
}

TEST_F(CPU_FaultBackend, ErrorsTimesAndAllocations) {
  TrialResult r = run("fault.error");
  EXPECT_EQ(r.verdict, Verdict::failed);
  EXPECT_EQ(r.detail, "FAULT_STATUS_EXECUTION_FAILED");
  r = run("fault.badtime");
  EXPECT_EQ(r.verdict, Verdict::failed);
  EXPECT_NE(r.detail.find("impossible timing"), std::string::npos) << r.detail;
  r = run("fault.oom");
  EXPECT_EQ(r.verdict, Verdict::oom) << r.detail;
}

TEST_F(CPU_FaultBackend, GarbageNeedsAWorker) {
  const TrialResult r = run("fault.garbage");
  EXPECT_EQ(r.verdict, Verdict::failed);
  EXPECT_NE(r.detail.find("no protocol pipe"), std::string::npos) << r.detail;
}

TEST_F(CPU_FaultBackend, BelowItsThresholdAFaultBehavesLikeOk) {
  // Listed or not: any well-formed id runs.
  for (const char* id : {"fault.hang@hw>42", "fault.segv@n>2", "fault.hang@hw>100", "fault.wrong@c>=3"}) {
    const TrialResult r = run(id);
    EXPECT_EQ(r.verdict, Verdict::pass) << id << ": " << r.detail;
  }
  EXPECT_EQ(run("fault.wrong@c>=2").verdict, Verdict::mismatch);
}

TEST_F(CPU_FaultBackend, BadIdIsFailedWithTheReason) {
  const TrialResult r = run("fault.hang@hw~3");
  EXPECT_EQ(r.verdict, Verdict::failed);
  EXPECT_NE(r.detail.find("fault.hang@hw~3"), std::string::npos) << r.detail;
}

TEST_F(CPU_FaultBackend, EveryDirectionAndTypeIsCorrectWhenOk) {
  for (const char* text : {"bwdd_mb2ic4ih7oc3kh3ph1", "bwdw_mb2ic4ih7oc3kh3ph1", "f16_mb1ic4ih6oc4kh3",
                           "nhwc_mb1ic4ih6oc5kh1", "g2mb1ic4ih6oc4kh3ph1"}) {
    std::string err;
    ASSERT_TRUE(parse_problem(text, &problem_, &err)) << err;
    const TrialResult r = run("fault.ok");
    EXPECT_EQ(r.verdict, Verdict::pass) << text << ": " << r.detail;
  }
}

}  // namespace
}  // namespace convprobe
