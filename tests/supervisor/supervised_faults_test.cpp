// The supervisor against every fault kind, with real worker processes: each kind injected 20 times and
// classified 20 times out of 20, and the sweep always completes.
#include <gtest/gtest.h>

#include <map>

#include "backends/fault/fault_spec.hpp"
#include "fault_fixture.hpp"

namespace convprobe {
namespace {

using test::first_line;

constexpr int kInjections = 20;

/// What the detail's first line must say for a kind, beyond the verdict.
std::string expected_detail(fault::Kind kind) {
  switch (kind) {
    case fault::Kind::hang:
      return "no progress for";
    case fault::Kind::segv:
      return "signal SIGSEGV (11) during run";
    case fault::Kind::abort:
      return "signal SIGABRT (6) during run";
    case fault::Kind::exit:
      return "worker exited with status 3 during run";
    case fault::Kind::garbage:
      return "protocol error: bad magic";
    case fault::Kind::error:
      return "FAULT_STATUS_EXECUTION_FAILED";
    case fault::Kind::badtime:
      return "impossible timing";
    default:
      return "";
  }
}

void expect_all_classified(const std::vector<fault::Kind>& kinds) {
  SupervisedExecutor executor(test::fault_executor_options());
  std::vector<TrialRequest> requests;
  // Interleaved over four problems, so each kind meets workers in every state (fresh, warm, just promoted).
  for (int i = 0; i < kInjections; ++i) {
    for (fault::Kind kind : kinds) {
      requests.push_back(TrialRequest{test::tiny_problem(6 + i % 4),
                                      test::fault_candidate("fault." + std::string(fault::info(kind).name)),
                                      1});
    }
  }
  const auto reported = test::run_all(executor, requests);
  ASSERT_EQ(reported.size(), requests.size()) << "the sweep did not complete";
  std::map<std::string, int> classified;
  for (const auto& r : reported) {
    fault::Spec spec;
    std::string err;
    ASSERT_TRUE(fault::parse_id(r.request.candidate.id, &spec, &err)) << err;
    const Verdict expected = fault::info(spec.kind).expected;
    EXPECT_EQ(r.result.verdict, expected) << r.request.candidate.id << ": " << r.result.detail;
    EXPECT_NE(first_line(r.result.detail).find(expected_detail(spec.kind)), std::string::npos)
        << r.request.candidate.id << ": " << r.result.detail;
    EXPECT_EQ(r.result.attempt, 1);
    if (r.result.verdict == expected) ++classified[r.request.candidate.id];
  }
  for (fault::Kind kind : kinds) {
    EXPECT_EQ(classified["fault." + std::string(fault::info(kind).name)], kInjections)
        << fault::info(kind).name;
  }
}

TEST(CPU_SupervisedFaults, FaultsThatKeepTheWorkerAreClassifiedEveryTime) {
  expect_all_classified({fault::Kind::ok, fault::Kind::error, fault::Kind::wrong, fault::Kind::nan,
                         fault::Kind::partial, fault::Kind::badtime, fault::Kind::slow, fault::Kind::oom});
}

TEST(CPU_SupervisedFaults, CrashesAndGarbageAreClassifiedEveryTimeAndSurvived) {
  expect_all_classified(
      {fault::Kind::segv, fault::Kind::ok, fault::Kind::abort, fault::Kind::exit, fault::Kind::garbage});
}

TEST(CPU_SupervisedFaults, HangsAreClassifiedEveryTimeAndCostOneDeadlineEach) {
  expect_all_classified({fault::Kind::hang, fault::Kind::ok});
}

TEST(CPU_SupervisedFaults, HangDetailNamesThePhaseAndTheSilence) {
  SupervisedExecutor executor(test::fault_executor_options());
  const auto reported =
      test::run_all(executor, {TrialRequest{test::tiny_problem(), test::fault_candidate("fault.hang"), 1}});
  ASSERT_EQ(reported.size(), 1u);
  const TrialResult& r = reported[0].result;
  EXPECT_EQ(r.verdict, Verdict::hang);
  EXPECT_EQ(r.phase, Phase::run);
  EXPECT_NE(r.detail.find("in phase run"), std::string::npos) << r.detail;
  EXPECT_GE(r.wall_ms, test::kTestFloorMs);
  EXPECT_EQ(r.device, "fault:0");
}

TEST(CPU_SupervisedFaults, UnknownFaultIdIsFailedWithTheReason) {
  SupervisedExecutor executor(test::fault_executor_options());
  const auto reported =
      test::run_all(executor, {TrialRequest{test::tiny_problem(), test::fault_candidate("fault.hang@q>3"), 1},
                               TrialRequest{test::tiny_problem(), test::fault_candidate("fault.bogus"), 1}});
  ASSERT_EQ(reported.size(), 2u);
  for (const auto& r : reported) EXPECT_EQ(r.result.verdict, Verdict::failed) << r.result.detail;
  EXPECT_NE(reported[0].result.detail.find("unknown axis 'q'"), std::string::npos)
      << reported[0].result.detail;
  EXPECT_NE(reported[1].result.detail.find("unknown fault kind 'bogus'"), std::string::npos);
}

}  // namespace
}  // namespace convprobe
