// Issue 4: "kill -9 of the supervisor at any moment loses no finished trial". A child process stores trials
// in a loop and reports each commit on a pipe; the test SIGKILLs it at a random moment and checks that every
// reported trial is in the database, whole, exactly once, and that the file passes integrity_check.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <random>

#include "store_fixtures.hpp"

namespace convprobe::test {
namespace {

constexpr int kMaxTrials = 100000;  // far more than the child gets to store before it is killed

std::string detail_of(int i) {
  return "trial " + std::to_string(i) + " detail '" + std::string(i % 50, 'x') + "'";
}

/// The child: opens the store, then add_trial + "report i" forever. Never returns.
[[noreturn]] void store_until_killed(const std::string& path, int report_fd) {
  try {
    auto store = Store::open(path);
    const int64_t run = store->begin_run(sample_fingerprint(), false);  // one run per child
    for (int i = 0; i < kMaxTrials; ++i) {
      TrialResult r = sample_result(i % 3 ? Verdict::pass : Verdict::hang, detail_of(i));
      store->add_trial(run, sample_problem(8 + i % 7), "fault", sample_candidate(fmt::format("c{}", i)), r,
                       fmt::format("repro {}", i));
      // Reported only after add_trial returned: from here on the trial must survive.
      if (write(report_fd, &i, sizeof i) != static_cast<ssize_t>(sizeof i)) _exit(3);
    }
  } catch (...) {
    _exit(2);
  }
  _exit(0);
}

struct KillOutcome {
  int last_reported = -1;  ///< highest trial index the child reported committed
  int signal = 0;
};

/// Forks the child, waits until it reported `wait_for` commits plus `extra_us` microseconds, kills it.
KillOutcome run_and_kill(const std::string& path, int wait_for, int extra_us) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(std::strerror(errno));
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    store_until_killed(path, fds[1]);
  }
  close(fds[1]);
  KillOutcome outcome;
  int index = 0;
  while (outcome.last_reported + 1 < wait_for && read(fds[0], &index, sizeof index) == sizeof index) {
    outcome.last_reported = index;
  }
  usleep(static_cast<useconds_t>(extra_us));
  kill(pid, SIGKILL);
  // Drain what the child reported before it died.
  while (read(fds[0], &index, sizeof index) == sizeof index) outcome.last_reported = index;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  outcome.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return outcome;
}

TEST(CPU_StoreDurability, KillNineLosesNoReportedTrial) {
  ScratchDir dir;
  const std::string path = dir.file("results.db");
  const uint32_t seed = std::random_device{}();
  std::mt19937 gen(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));

  std::map<int64_t, int> reported_per_run;  // what each killed child reported committed
  for (int round = 0; round < 5; ++round) {
    const int wait_for = std::uniform_int_distribution<int>(1, 300)(gen);
    const int extra_us = std::uniform_int_distribution<int>(0, 3000)(gen);
    const KillOutcome killed = run_and_kill(path, wait_for, extra_us);
    ASSERT_EQ(killed.signal, SIGKILL) << "the child ended before it was killed (round " << round << ")";
    ASSERT_GE(killed.last_reported, wait_for - 1);

    // Reopen as the next sweep would. Every reported trial of the child's run is there, whole and once.
    auto store = Store::open(path);
    const auto runs = store->runs();
    ASSERT_EQ(runs.size(), static_cast<size_t>(round + 1));
    const int64_t run = runs.back().id;
    reported_per_run[run] = killed.last_reported + 1;
    TrialFilter this_run;
    this_run.run_id = run;
    std::map<int, int> copies;
    for (const auto& t : store->trials(this_run)) {
      const int i = std::stoi(t.candidate.id.substr(1));
      ++copies[i];
      EXPECT_EQ(t.result.detail, detail_of(i)) << "partial row " << t.id;
      EXPECT_EQ(t.repro, fmt::format("repro {}", i)) << "partial row " << t.id;
      EXPECT_EQ(t.candidate.attrs, sample_candidate("x").attrs) << "partial row " << t.id;
      EXPECT_EQ(t.result.verify.points, 16384) << "partial row " << t.id;
    }
    for (int i = 0; i <= killed.last_reported; ++i) {
      EXPECT_EQ(copies[i], 1) << "trial " << i << " was reported committed (round " << round << ")";
    }
    // At most one trial more than reported: committed, but killed before it could say so.
    ASSERT_FALSE(copies.empty());
    EXPECT_LE(copies.rbegin()->first, killed.last_reported + 1);
    // Earlier rounds' trials are all still there.
    const auto counts = store->trial_counts();
    for (const auto& [earlier, reported] : reported_per_run) EXPECT_GE(counts.at(earlier), reported);
    store.reset();
    EXPECT_EQ(RawDb(path).scalar("PRAGMA integrity_check"), "ok");
  }
}

}  // namespace
}  // namespace convprobe::test
