// The small pieces of the supervisor: stderr tails, exit statuses in words, watchdog deadlines, groups.
#include <gtest/gtest.h>

#include <csignal>
#include <limits>

#include "supervisor/exit_status.hpp"
#include "supervisor/output_tail.hpp"
#include "exec/problem_groups.hpp"
#include "supervisor/watchdog.hpp"
#include "supervisor/worker_verdicts.hpp"

namespace convprobe {
namespace {

TEST(CPU_OutputTail, KeepsTheLastLinesAndThePartialOne) {
  OutputTail tail(3);
  tail.append("one\ntwo\nthr");
  tail.append("ee\nfour\n\nfi");
  EXPECT_EQ(tail.text(), "three\nfour\nfi");
}

TEST(CPU_OutputTail, BoundsLongLines) {
  OutputTail tail(2, 5);
  tail.append(std::string(1000, 'x') + "\n");
  EXPECT_EQ(tail.text(), "xxxxx");
}

TEST(CPU_ExitStatus, SignalsAndExitsInWords) {
  EXPECT_EQ(signal_name(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(describe_wait_status(SIGSEGV), "signal SIGSEGV (11)");  // WIFSIGNALED: the signal in the low bits
  EXPECT_EQ(describe_wait_status(3 << 8), "exit status 3");
  const TrialResult crash = death_result(Phase::run, SIGABRT, "last words");
  EXPECT_EQ(crash.verdict, Verdict::crash);
  EXPECT_EQ(crash.detail.substr(0, crash.detail.find('\n')), "signal SIGABRT (6) during run");
  EXPECT_NE(crash.detail.find("last words"), std::string::npos);
  EXPECT_EQ(death_result(Phase::verify, 3 << 8, "").detail, "worker exited with status 3 during verify");
}

TEST(CPU_Watchdog, FloorAloneBeforeAnySpeedIsKnown) {
  const WatchdogLimits limits{2000, 600000};
  SpeedEstimate speed;
  PhaseWork work;
  work.phase = Phase::run;
  work.flops = 1e12;
  EXPECT_EQ(phase_deadline_ms(limits, speed, work), 2000);
}

TEST(CPU_Watchdog, ScalesWithMeasuredSpeedAndHeartbeatEstimates) {
  const WatchdogLimits limits{100, 600000};
  SpeedEstimate speed;
  speed.add(1e9, 5);  // too short to say anything about speed
  EXPECT_FALSE(speed.known());
  speed.add(1e9, 100);  // 100 ms per GFLOP
  PhaseWork work;
  work.phase = Phase::run;
  work.flops = 2e9;
  EXPECT_DOUBLE_EQ(phase_deadline_ms(limits, speed, work), kWorkFactor * 200);
  work.heartbeat_expected_ms = 1000;  // the backend knows better
  EXPECT_DOUBLE_EQ(phase_deadline_ms(limits, speed, work), kWorkFactor * 1000);
}

TEST(CPU_Watchdog, TimePhaseScalesWithTheMeasuredRunPhase) {
  const WatchdogLimits limits{10, 600000};
  SpeedEstimate speed;
  PhaseWork work;
  work.phase = Phase::time;
  work.run_phase_ms = 50;
  work.timed_runs = 12;
  work.min_time_ms = 100;
  EXPECT_DOUBLE_EQ(phase_deadline_ms(limits, speed, work), kWorkFactor * (50 * 12 + 100));
}

TEST(CPU_Watchdog, CapWinsOverEverything) {
  const WatchdogLimits limits{5000, 3000};
  SpeedEstimate speed;
  PhaseWork work;
  work.heartbeat_expected_ms = std::numeric_limits<double>::infinity();
  EXPECT_EQ(phase_deadline_ms(limits, speed, work), 3000);
}

Problem problem(const char* text) {
  Problem p;
  std::string err;
  EXPECT_TRUE(parse_problem(text, &p, &err)) << err;
  return p;
}

TEST(CPU_TrialPlan, GroupsByProblemInFirstAppearanceOrder) {
  const Problem a = problem("mb1ic2ih8oc2kh3ph1");
  const Problem b = problem("mb1ic2ih9oc2kh3ph1");
  std::vector<TrialRequest> requests{
      {a, {"x", "", "", {}}, 1}, {b, {"x", "", "", {}}, 1}, {a, {"y", "", "", {}}, 1}};
  const auto groups = group_by_problem(requests);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].requests, (std::vector<size_t>{0, 2}));
  EXPECT_EQ(groups[1].requests, (std::vector<size_t>{1}));
}

TEST(CPU_TrialPlan, BestTimesKeepsTheFastestPass) {
  BestTimes best;
  TrialResult r;
  r.verdict = Verdict::pass;
  r.time = Timing{2.0, 1.0, 3.0, 5};
  best.record("k", r);
  r.time->median_ms = 1.5;
  best.record("k", r);
  r.verdict = Verdict::mismatch;
  r.time->median_ms = 0.1;
  best.record("k", r);
  EXPECT_DOUBLE_EQ(best.get("k"), 1.5);
  EXPECT_EQ(best.get("other"), 0);
}

TEST(CPU_TrialPlan, ImpossibleTimingBecomesFailed) {
  for (double median : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN()}) {
    TrialResult r;
    r.verdict = Verdict::pass;
    r.time = Timing{median, 0, 0, 1};
    reject_impossible_timing(&r);
    EXPECT_EQ(r.verdict, Verdict::failed) << median;
    EXPECT_NE(r.detail.find("impossible timing"), std::string::npos);
  }
  TrialResult ok;
  ok.verdict = Verdict::pass;
  ok.time = Timing{0.5, 0.4, 0.6, 3};
  reject_impossible_timing(&ok);
  EXPECT_EQ(ok.verdict, Verdict::pass);
}

}  // namespace
}  // namespace convprobe
