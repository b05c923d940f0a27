// Reading how long a process waited for a CPU (schedstat) and how loaded the machine is (PSI).
#include "supervisor/cpu_wait.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

namespace convprobe {
namespace {

TEST(CPU_CpuWait, ParsesSchedstatAndPressureLines) {
  uint64_t wait = 0;
  EXPECT_TRUE(parse_schedstat_wait("440785544 301945500 387\n", &wait));
  EXPECT_EQ(wait, 301945500u);
  EXPECT_FALSE(parse_schedstat_wait("", &wait));
  EXPECT_FALSE(parse_schedstat_wait("12", &wait));
  EXPECT_DOUBLE_EQ(parse_pressure_some_avg10("some avg10=1.79 avg60=0.98 avg300=0.37 total=3734429\nfull "
                                             "avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"),
                   1.79);
  EXPECT_EQ(parse_pressure_some_avg10(""), -1);
  EXPECT_EQ(parse_pressure_some_avg10("full avg10=3.00"), -1);
  EXPECT_EQ(parse_pressure_some_avg10("some avg10=x"), -1);
}

TEST(CPU_CpuWait, WaitedIsTheLargestIncreaseOfAnyTask) {
  const TaskWaits before{{1, 1'000'000}, {2, 5'000'000}};
  const TaskWaits after{{1, 4'000'000}, {2, 6'000'000}, {3, 2'500'000}};
  EXPECT_DOUBLE_EQ(waited_ms(before, after), 3.0);  // task 1: +3 ms; task 3 (new): 2.5 ms; task 2: +1 ms
  EXPECT_DOUBLE_EQ(waited_ms(after, after), 0.0);
  EXPECT_DOUBLE_EQ(waited_ms(after, before), 0.0);  // a reused id with a smaller count adds nothing
}

TEST(CPU_CpuWait, ReadsThisProcessAndItsChildren) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pause();
    _exit(0);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const TaskWaits waits = read_task_waits(getpid());
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  if (waits.empty()) GTEST_SKIP() << "this kernel exposes no /proc/PID/task/TID/schedstat";
  EXPECT_EQ(waits.count(getpid()), 1u);
  EXPECT_EQ(waits.count(child), 1u) << "children are found through /proc/PID/task/TID/children";
  EXPECT_TRUE(read_task_waits(-1).empty());
}

/// Busy processes pinned to one CPU: each gets a share of it and waits for it the rest of the time.
TEST(CPU_CpuWait, AProcessSharingOneCpuWithBusyOnesWaitsForIt) {
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(0, &one);
  std::vector<pid_t> busy;
  for (int i = 0; i < 4; ++i) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      sched_setaffinity(0, sizeof one, &one);
      alarm(30);  // never outlives the test
      for (;;) {
      }
    }
    busy.push_back(pid);
  }
  const TaskWaits before = read_task_waits(busy[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const TaskWaits after = read_task_waits(busy[0]);
  for (pid_t pid : busy) kill(pid, SIGKILL);
  for (pid_t pid : busy) waitpid(pid, nullptr, 0);
  if (after.empty()) GTEST_SKIP() << "this kernel exposes no /proc/PID/task/TID/schedstat";
  // Four busy processes on one CPU: each runs about a quarter of the time and waits the rest.
  EXPECT_GT(waited_ms(before, after), 200) << "a busy process sharing one CPU with three others";
}

}  // namespace
}  // namespace convprobe
