// What the supervisor promises beyond single verdicts: thresholds, the warm standby, explicit retries,
// several devices, info and candidates through a worker, unavailable backends, Ctrl-C.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>

#include "backends/fault/fault_spec.hpp"
#include "fault_fixture.hpp"
#include "problem/presets.hpp"
#include "jobs/executor_factory.hpp"
#include "worker/protocol.hpp"

namespace convprobe {
namespace {

using Kind = SupervisorEvent::Kind;

TEST(CPU_Supervisor, ThresholdedHangHangsExactlyAboveTheThresholdOnGfx1010Sizes) {
  Preset preset;
  std::string err;
  ASSERT_TRUE(find_preset("gfx1010-sizes", -1, &preset, &err)) << err;
  SupervisedExecutor executor(test::fault_executor_options());
  std::vector<TrialRequest> requests;
  for (const auto& p : preset.problems) requests.push_back({p, test::fault_candidate("fault.hang@hw>42"), 1});
  TrialOptions options = test::quick_trial_options();
  options.full_verify_max_macs = 1e7;  // the 512x512 problem is verified at a sample of points
  const auto reported = test::run_all(executor, requests, options);
  ASSERT_EQ(reported.size(), requests.size());
  int hangs = 0;
  for (const auto& r : reported) {
    const int64_t hw = std::max(r.request.problem.in[1], r.request.problem.in[2]);
    EXPECT_EQ(r.result.verdict, hw > 42 ? Verdict::hang : Verdict::pass)
        << "size " << hw << ": " << r.result.detail;
    hangs += r.result.verdict == Verdict::hang ? 1 : 0;
  }
  EXPECT_EQ(hangs, 7);  // 44, 48, 64, 128, 224, 256, 512
}

TEST(CPU_Supervisor, ThresholdedSegvCrashesOnlyAboveTheBatch) {
  SupervisedExecutor executor(test::fault_executor_options());
  std::vector<TrialRequest> requests;
  for (int mb = 1; mb <= 4; ++mb) {
    Problem p = test::tiny_problem();
    p.mb = mb;
    requests.push_back({p, test::fault_candidate("fault.segv@n>2"), 1});
  }
  for (const auto& r : test::run_all(executor, requests)) {
    EXPECT_EQ(r.result.verdict, r.request.problem.mb > 2 ? Verdict::crash : Verdict::pass) << r.result.detail;
  }
}

TEST(CPU_Supervisor, TheWarmStandbyTakesTheTrialAfterAHang) {
  SupervisedExecutor executor(test::fault_executor_options());
  const Problem p = test::tiny_problem();
  const auto reported = test::run_all(executor, {{p, test::fault_candidate("fault.ok"), 1},
                                                 {p, test::fault_candidate("fault.hang"), 1},
                                                 {p, test::fault_candidate("fault.ok"), 1}});
  ASSERT_EQ(reported.size(), 3u);
  EXPECT_EQ(reported[2].result.verdict, Verdict::pass);
  const auto& ev = executor.events();
  const auto expired =
      std::find_if(ev.begin(), ev.end(), [](const auto& e) { return e.kind == Kind::deadline_expired; });
  ASSERT_NE(expired, ev.end());
  const auto next_start =
      std::find_if(expired, ev.end(), [](const auto& e) { return e.kind == Kind::trial_started; });
  ASSERT_NE(next_start, ev.end());
  EXPECT_NE(next_start->pid, expired->pid);
  // The next trial's worker had said hello before the hang was even detected: it was the warm standby,
  // not a worker started on demand.
  const auto ready = std::find_if(
      ev.begin(), expired, [&](const auto& e) { return e.kind == Kind::ready && e.pid == next_start->pid; });
  EXPECT_NE(ready, expired) << "the trial after the hang went to a worker that was not ready before it";
  EXPECT_NE(std::find_if(expired, next_start,
                         [&](const auto& e) { return e.kind == Kind::promoted && e.pid == next_start->pid; }),
            next_start);
}

TEST(CPU_Supervisor, RetriesRerunADeadWorkersTrialAndReportEachAttempt) {
  ExecutorOptions o = test::fault_executor_options();
  o.retries = 2;
  SupervisedExecutor executor(o);
  const Problem p = test::tiny_problem();
  const auto reported = test::run_all(executor, {{p, test::fault_candidate("fault.segv"), 1},
                                                 {p, test::fault_candidate("fault.error"), 1},
                                                 {p, test::fault_candidate("fault.ok"), 1}});
  std::vector<int> segv_attempts;
  int error_reports = 0;
  for (const auto& r : reported) {
    if (r.request.candidate.id == "fault.segv") {
      EXPECT_EQ(r.result.verdict, Verdict::crash);
      EXPECT_EQ(r.request.attempt, r.result.attempt);
      segv_attempts.push_back(r.result.attempt);
    }
    // A backend error is an answer, not a dead worker: never re-run.
    if (r.request.candidate.id == "fault.error") ++error_reports;
  }
  EXPECT_EQ(segv_attempts, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(error_reports, 1);
  EXPECT_EQ(reported.size(), 5u);
}

TEST(CPU_Supervisor, WithoutRetriesACrashIsReportedOnce) {
  SupervisedExecutor executor(test::fault_executor_options());
  const auto reported =
      test::run_all(executor, {{test::tiny_problem(), test::fault_candidate("fault.abort"), 1}});
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].result.verdict, Verdict::crash);
}

TEST(CPU_Supervisor, AHangOnOneDeviceDoesNotStallTheOther) {
  ExecutorOptions o = test::fault_executor_options({0, 1});
  o.timeout_floor_ms = 3000;  // long enough that the other device finishes everything meanwhile
  SupervisedExecutor executor(o);
  std::vector<TrialRequest> requests{{test::tiny_problem(5), test::fault_candidate("fault.hang"), 1}};
  for (int size = 6; size < 16; ++size)
    requests.push_back({test::tiny_problem(size), test::fault_candidate("fault.ok"), 1});
  const auto reported = test::run_all(executor, requests);
  ASSERT_EQ(reported.size(), requests.size());
  // The hang is reported last: every other trial finished while it was pending.
  EXPECT_EQ(reported.back().request.candidate.id, "fault.hang");
  EXPECT_EQ(reported.back().result.verdict, Verdict::hang);
  std::set<std::string> ok_devices;
  for (size_t i = 0; i + 1 < reported.size(); ++i) {
    EXPECT_EQ(reported[i].result.verdict, Verdict::pass) << reported[i].result.detail;
    ok_devices.insert(reported[i].result.device);
  }
  ASSERT_EQ(ok_devices.size(), 1u);
  EXPECT_NE(*ok_devices.begin(), reported.back().result.device);
}

TEST(CPU_Supervisor, BestSoFarIsPassedPerProblem) {
  // Two ok runs of one problem: the second gets the first one's median; observable through the slow
  // candidate, which the runner then times with fewer repeats.
  SupervisedExecutor executor(test::fault_executor_options());
  TrialOptions options = test::quick_trial_options();
  options.repeats = 10;
  const Problem p = test::tiny_problem();
  const auto reported = test::run_all(
      executor, {{p, test::fault_candidate("fault.ok"), 1}, {p, test::fault_candidate("fault.slow"), 1}},
      options);
  ASSERT_EQ(reported.size(), 2u);
  ASSERT_TRUE(reported[1].result.time.has_value());
  EXPECT_EQ(reported[1].result.verdict, Verdict::pass);
  EXPECT_LT(reported[1].result.time->repeats, 10) << "best_so_far_ms did not reach the slow candidate";
}

TEST(CPU_Supervisor, InfoAndCandidatesComeThroughAWorker) {
  SupervisedExecutor executor(test::fault_executor_options());
  const BackendInfo info = executor.info();
  EXPECT_TRUE(info.available) << info.reason;
  EXPECT_EQ(info.name, "fault");
  EXPECT_GE(info.devices.size(), 2u);
  std::vector<std::string> ids;
  for (const auto& c : executor.candidates(test::tiny_problem(), TrialOptions{})) ids.push_back(c.id);
  for (const char* id : {"fault.ok", "fault.hang", "fault.garbage", "fault.hang@hw>42", "fault.segv@n>2"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  }
  // No trial yet, and no standby was needed for these two questions.
  for (const auto& e : executor.events()) EXPECT_NE(e.kind, Kind::trial_started);
}

TEST(CPU_Supervisor, UnknownBackendIsUnavailableWithTheReason) {
  ExecutorOptions o = test::fault_executor_options();
  o.backend = "nosuch";
  SupervisedExecutor executor(o);
  const BackendInfo info = executor.info();
  EXPECT_FALSE(info.available);
  EXPECT_NE(info.reason.find("nosuch"), std::string::npos) << info.reason;
  EXPECT_THROW((void)executor.candidates(test::tiny_problem(), TrialOptions{}), std::runtime_error);
}

TEST(CPU_Supervisor, MissingWorkerProgramIsAClearError) {
  ExecutorOptions o = test::fault_executor_options();
  o.worker_executable = "/nonexistent/convprobe";
  SupervisedExecutor executor(o);
  try {
    test::run_all(executor, {{test::tiny_problem(), test::fault_candidate("fault.ok"), 1}});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/convprobe"), std::string::npos) << e.what();
  }
}

TEST(CPU_Supervisor, InterruptKillsEveryWorkerAndEndsTheRun) {
  SupervisedExecutor executor(test::fault_executor_options());
  const Problem p = test::tiny_problem();
  std::vector<TrialRequest> requests{{p, test::fault_candidate("fault.hang"), 1},
                                     {p, test::fault_candidate("fault.ok"), 1}};
  int results = 0;
  try {
    executor.run(
        requests, test::quick_trial_options(), [&](const TrialRequest&, const TrialResult&) { ++results; },
        [](const TrialRequest&) { ::kill(::getpid(), SIGINT); });
    FAIL() << "expected the run to end with an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("interrupted by SIGINT"), std::string::npos) << e.what();
  }
  EXPECT_EQ(results, 0);
  // The executor is usable again afterwards.
  const auto reported = test::run_all(executor, {{p, test::fault_candidate("fault.ok"), 1}});
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].result.verdict, Verdict::pass);
}

TEST(CPU_InProcessExecutor, RunsFaultsThatKeepTheProcess) {
  ExecutorOptions o = test::fault_executor_options();
  o.in_process = true;
  auto executor = make_executor(o);
  EXPECT_TRUE(executor->info().available);
  const Problem p = test::tiny_problem();
  const std::vector<std::pair<std::string, Verdict>> cases{
      {"fault.ok", Verdict::pass},          {"fault.error", Verdict::failed},
      {"fault.badtime", Verdict::failed},   {"fault.wrong", Verdict::mismatch},
      {"fault.oom", Verdict::oom},          {"fault.garbage", Verdict::failed},
      {"fault.hang@hw>100", Verdict::pass}, {"fault.nosuch", Verdict::failed}};
  std::vector<TrialRequest> requests;
  for (const auto& [id, v] : cases) requests.push_back({p, test::fault_candidate(id), 1});
  const auto reported = test::run_all(*executor, requests);
  ASSERT_EQ(reported.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(reported[i].request.candidate.id, cases[i].first);
    EXPECT_EQ(reported[i].result.verdict, cases[i].second)
        << cases[i].first << ": " << reported[i].result.detail;
  }
  EXPECT_NE(reported[5].result.detail.find("no protocol pipe"), std::string::npos)
      << reported[5].result.detail;
}

// Regression (issue 13, fuzzing: shared/research/fuzz-findings.md H6): integers in a worker's messages that
// are not integers of the right range. Before, "seq":"1" threw out of run() (the sweep ended with an error)
// and a float out of range was converted to an integer (undefined behaviour). Now each is a protocol error of
// that worker: CRASH for its trial, or a worker lost before its hello. fuzz/corpus/protocol/regress-H6*
// replays the same streams in CI.
std::string frame(const std::string& payload) {
  std::string f(protocol::kMagic, sizeof protocol::kMagic);
  for (int i = 0; i < 4; ++i) f.push_back(static_cast<char>((payload.size() >> (8 * i)) & 0xff));
  return f + payload;
}

/// A stand-in worker program: it writes `hello`, waits for the first request, writes `then` and sleeps.
std::string fake_worker(const std::string& name, const std::string& hello, const std::string& then) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("convprobe-fake-worker-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "hello", std::ios::binary) << frame(hello);
  std::ofstream(dir / "then", std::ios::binary) << (then.empty() ? std::string() : frame(then));
  const auto script = dir / "worker.sh";
  std::ofstream(script) << "#!/bin/sh\ncat '" << (dir / "hello").string()
                        << "' >&4\nhead -c 8 <&3 >/dev/null\ncat '" << (dir / "then").string()
                        << "' >&4\nexec sleep 30\n";
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  return script.string();
}

constexpr const char* kHello = R"({"type":"hello","protocol":1,"info":{"name":"fault","available":true}})";

struct MalformedMessage {
  const char* name;
  const char* message;   ///< sent after the first request
  const char* expected;  ///< in the CRASH detail
};

class CPU_SupervisorMalformedIntegers : public ::testing::TestWithParam<MalformedMessage> {};

TEST_P(CPU_SupervisorMalformedIntegers, AreAProtocolErrorOfThatWorker) {
  ExecutorOptions o = test::fault_executor_options();
  o.worker_executable = fake_worker(GetParam().name, kHello, GetParam().message);
  SupervisedExecutor executor(o);
  const auto reported =
      test::run_all(executor, {{test::tiny_problem(), test::fault_candidate("fault.ok"), 1}});
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].result.verdict, Verdict::crash) << reported[0].result.detail;
  EXPECT_NE(reported[0].result.detail.find("protocol error"), std::string::npos) << reported[0].result.detail;
  EXPECT_NE(reported[0].result.detail.find(GetParam().expected), std::string::npos)
      << reported[0].result.detail;
}

INSTANTIATE_TEST_SUITE_P(
    H6, CPU_SupervisorMalformedIntegers,
    ::testing::Values(
        MalformedMessage{"seq_string", R"({"type":"heartbeat","seq":"1","phase":"run"})", R"("seq" "1")"},
        MalformedMessage{"seq_negative_float", R"({"type":"heartbeat","seq":-1.2e+3,"phase":"run"})",
                         R"("seq" -1200.0)"},
        MalformedMessage{"attempt_1e10",
                         R"({"type":"result","seq":1,"result":{"verdict":"PASS","attempt":1e10}})",
                         R"("attempt" is 10000000000.0)"},
        MalformedMessage{"seed_negative_float",
                         R"({"type":"result","seq":1,"result":{"verdict":"PASS","verify":{"seed":-5.0}}})",
                         R"("seed" is -5.0)"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(CPU_Supervisor, AHelloWithMalformedIntegersIsABadHello) {
  const std::pair<const char*, const char*> hellos[] = {
      {R"({"type":"hello","protocol":1e10,"info":{}})", "worker speaks protocol 10000000000.0"},
      {R"({"type":"hello","protocol":1,"info":{"devices":[{"index":1e10}]}})",
       R"("index" is 10000000000.0)"}};
  int n = 0;
  for (const auto& [hello, expected] : hellos) {
    ExecutorOptions o = test::fault_executor_options();
    o.worker_executable = fake_worker("hello" + std::to_string(n++), hello, "");
    SupervisedExecutor executor(o);
    const BackendInfo info = executor.info();
    EXPECT_FALSE(info.available);
    EXPECT_NE(info.reason.find(expected), std::string::npos) << info.reason;
  }
}

TEST(CPU_InProcessExecutor, UnavailableBackendSaysWhy) {
  ExecutorOptions o;
  o.backend = "nosuch";
  o.in_process = true;
  auto executor = make_executor(o);
  EXPECT_FALSE(executor->info().available);
  EXPECT_THROW((void)executor->candidates(test::tiny_problem(), TrialOptions{}), std::runtime_error);
}

}  // namespace
}  // namespace convprobe
