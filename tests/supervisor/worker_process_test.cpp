// WorkerProcess and WorkerSet against real shells (ninja's subprocess_test style): descriptors, stderr
// capture, exit statuses, and kill of the whole process group.
#include "supervisor/worker_process.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>
#include <thread>

#include "supervisor/worker_set.hpp"

namespace convprobe {
namespace {

using Clock = std::chrono::steady_clock;

WorkerCommand shell(const std::string& script) { return WorkerCommand{"/bin/sh", {"-c", script}, {}}; }

/// Waits (bounded) until the worker has been reaped.
void wait_reaped(WorkerSet& set, WorkerProcess* w) {
  const auto until = Clock::now() + std::chrono::seconds(20);
  while (!w->reaped() && Clock::now() < until) set.wait(Clock::now() + std::chrono::milliseconds(50));
  ASSERT_TRUE(w->reaped());
}

TEST(CPU_WorkerProcess, ResponsesOnFd4StderrAndStdoutCaptured) {
  SignalScope signals;
  WorkerSet set;
  std::string err;
  auto* w = set.add(WorkerProcess::spawn(shell("printf 'CPV1\\015\\000\\000\\000{\"type\":\"hi\"}' >&4; echo "
                                               "to-stdout; echo to-stderr >&2; exit 3"),
                                         &err));
  ASSERT_NE(w, nullptr) << err;
  wait_reaped(set, w);
  set.poll_now();
  nlohmann::json m;
  ASSERT_EQ(w->next_message(&m, &err), protocol::FrameDecoder::Status::message) << err;
  EXPECT_EQ(m["type"], "hi");
  EXPECT_TRUE(WIFEXITED(w->wait_status()));
  EXPECT_EQ(WEXITSTATUS(w->wait_status()), 3);
  EXPECT_EQ(w->stderr_tail().text(), "to-stdout\nto-stderr");
}

TEST(CPU_WorkerProcess, RequestsArriveOnFd3) {
  SignalScope signals;
  WorkerSet set;
  std::string err;
  auto* w = set.add(WorkerProcess::spawn(shell("head -c 4 <&3 >&2"), &err));
  ASSERT_NE(w, nullptr) << err;
  ASSERT_TRUE(w->send(nlohmann::json{{"type", "trial"}}, &err)) << err;
  wait_reaped(set, w);
  set.poll_now();
  EXPECT_EQ(w->stderr_tail().text(), "CPV1");
}

TEST(CPU_WorkerProcess, KillEndsTheWholeProcessGroup) {
  SignalScope signals;
  WorkerSet set;
  std::string err;
  // The grandchild holds the stderr pipe: only a group kill lets the pipe reach end of stream.
  auto* w = set.add(WorkerProcess::spawn(shell("sleep 1000 & echo started >&2; wait"), &err));
  ASSERT_NE(w, nullptr) << err;
  while (w->stderr_tail().text().empty()) set.wait(Clock::now() + std::chrono::milliseconds(50));
  w->kill_group();
  wait_reaped(set, w);
  EXPECT_TRUE(WIFSIGNALED(w->wait_status()));
  EXPECT_EQ(WTERMSIG(w->wait_status()), SIGKILL);
  const auto until = Clock::now() + std::chrono::seconds(20);
  while (w->stderr_fd() >= 0 && Clock::now() < until) set.wait(Clock::now() + std::chrono::milliseconds(50));
  EXPECT_LT(w->stderr_fd(), 0) << "a member of the worker's group survived the kill";
}

TEST(CPU_WorkerProcess, SendToADeadWorkerIsAnErrorNotASignal) {
  SignalScope signals;
  WorkerSet set;
  std::string err;
  auto* w = set.add(WorkerProcess::spawn(shell("exec 3<&-; exit 0"), &err));
  ASSERT_NE(w, nullptr) << err;
  wait_reaped(set, w);
  EXPECT_FALSE(w->send(nlohmann::json{{"type", "trial"}, {"pad", std::string(1 << 20, 'x')}}, &err));
  EXPECT_FALSE(err.empty());
}

TEST(CPU_WorkerProcess, EnvironmentOverridesReachTheChild) {
  SignalScope signals;
  WorkerSet set;
  std::string err;
  WorkerCommand c = shell("echo \"$CONVPROBE_TEST_VALUE\" >&2");
  c.env["CONVPROBE_TEST_VALUE"] = "policy=1";
  auto* w = set.add(WorkerProcess::spawn(c, &err));
  ASSERT_NE(w, nullptr) << err;
  wait_reaped(set, w);
  set.poll_now();
  EXPECT_EQ(w->stderr_tail().text(), "policy=1");
}

TEST(CPU_WorkerProcess, MissingExecutableIsReportedAtSpawn) {
  std::string err;
  auto w = WorkerProcess::spawn(WorkerCommand{"/nonexistent/convprobe", {}, {}}, &err);
  EXPECT_EQ(w, nullptr);
  EXPECT_NE(err.find("/nonexistent/convprobe"), std::string::npos) << err;
}

TEST(CPU_WorkerSet, WaitTimesOutAtTheDeadline) {
  SignalScope signals;
  WorkerSet set;
  std::string err;
  set.add(WorkerProcess::spawn(shell("sleep 1000"), &err));
  EXPECT_EQ(set.wait(Clock::now() + std::chrono::milliseconds(20)), WorkerSet::WaitResult::timeout);
  set.clear();
  EXPECT_EQ(set.size(), 0u);
}

TEST(CPU_WorkerSet, InterruptSignalEndsTheWait) {
  SignalScope signals;
  WorkerSet set;
  std::string err;
  set.add(WorkerProcess::spawn(shell("sleep 1000"), &err));
  ::kill(::getpid(), SIGINT);  // blocked now, delivered inside ppoll, recorded by the handler
  EXPECT_EQ(set.wait(Clock::now() + std::chrono::seconds(20)), WorkerSet::WaitResult::interrupted);
  EXPECT_EQ(SignalScope::interrupt_signal(), SIGINT);
}

}  // namespace
}  // namespace convprobe
