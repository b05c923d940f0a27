// The watchdog under load (PhaseWatch): a deadline counted in the time the worker could run, one
// confirmation on a loaded machine, and a bound on wall time however starved the worker is.
#include "supervisor/watchdog.hpp"

#include <gtest/gtest.h>

namespace convprobe {
namespace {

PhaseObservation seen(double silent_ms, double cpu_wait_ms = 0, double pressure = -1) {
  PhaseObservation o;
  o.silent_ms = silent_ms;
  o.cpu_wait_ms = cpu_wait_ms;
  o.pressure = pressure;
  o.pressure_kind = "cpu";
  return o;
}

TEST(CPU_PhaseWatch, OnAnIdleMachineTheDeadlineIsAHang) {
  PhaseWatch watch(2000);
  const auto early = watch.judge(seen(1500));
  EXPECT_FALSE(early.hung);
  EXPECT_DOUBLE_EQ(early.recheck_in_ms, 500);
  EXPECT_TRUE(watch.judge(seen(2001)).hung);
  EXPECT_FALSE(watch.confirming());
  EXPECT_EQ(watch.hang_explanation(seen(2001)), "deadline 2000 ms");
}

TEST(CPU_PhaseWatch, TimeSpentWaitingForACpuDoesNotCount) {
  PhaseWatch watch(2000);
  // 3 s silent, 1.5 s of it waiting for a CPU: the worker could run for 1.5 s only.
  const auto j = watch.judge(seen(3000, 1500));
  EXPECT_FALSE(j.hung);
  EXPECT_DOUBLE_EQ(j.recheck_in_ms, 500);
  EXPECT_FALSE(watch.confirming());
}

TEST(CPU_PhaseWatch, ALoadedMachineGetsOneConfirmationOfTheSameLength) {
  PhaseWatch watch(2000);
  // Runnable time reached the deadline, but the machine is under pressure: confirm, do not judge yet.
  const auto first = watch.judge(seen(2100, 100, 40));
  EXPECT_FALSE(first.hung);
  EXPECT_TRUE(watch.confirming());
  EXPECT_DOUBLE_EQ(first.recheck_in_ms, 2000);
  EXPECT_FALSE(watch.judge(seen(4000, 100, 40)).hung);
  const PhaseObservation last = seen(4200, 150, 40);
  EXPECT_TRUE(watch.judge(last).hung);
  EXPECT_EQ(watch.hang_explanation(last),
            "deadline 2000 ms of run time; 150 ms of it waiting for a CPU; confirmed under load: no progress "
            "in a further 2000 ms (at the deadline the worker had waited 100 ms for a CPU, machine cpu "
            "pressure 40%)");
}

TEST(CPU_PhaseWatch, AWorkerThatWaitedForACpuCountsAsLoadedWithoutPsi) {
  PhaseWatch watch(1000);
  EXPECT_FALSE(watch.judge(seen(1300, 200)).hung);  // waited 15% of the phase: loaded
  EXPECT_TRUE(watch.confirming());
  PhaseWatch idle(1000);
  EXPECT_TRUE(idle.judge(seen(1050, 50)).hung);  // waited 5%: not loaded, no confirmation
}

TEST(CPU_PhaseWatch, AStarvedWorkerIsHangAfterTheWallBound) {
  PhaseWatch watch(1000);
  // The worker gets 5% of a CPU: its runnable time never reaches the deadline.
  const double bound = kMaxLoadStretch * 1000;
  const auto j = watch.judge(seen(bound - 100, 0.95 * (bound - 100)));
  EXPECT_FALSE(j.hung);
  EXPECT_DOUBLE_EQ(j.recheck_in_ms, 100);
  const PhaseObservation last = seen(bound, 0.95 * bound);
  EXPECT_TRUE(watch.judge(last).hung);
  EXPECT_NE(watch.hang_explanation(last).find("the machine is overloaded: the worker could run only 400 of "
                                              "8000 ms, and a silent phase ends after 8x its deadline"),
            std::string::npos)
      << watch.hang_explanation(last);
}

TEST(CPU_PhaseWatch, TheWallBoundGrowsWithTheConfirmation) {
  PhaseWatch watch(1000);
  EXPECT_FALSE(watch.judge(seen(1100, 100, 50)).hung);
  ASSERT_TRUE(watch.confirming());
  // Confirming: the phase may take 2 deadlines of runnable time, so the wall bound is 8 x 2000 ms.
  EXPECT_FALSE(watch.judge(seen(kMaxLoadStretch * 1000 + 10, kMaxLoadStretch * 1000 - 500, 50)).hung);
  EXPECT_TRUE(watch.judge(seen(kMaxLoadStretch * 2000, kMaxLoadStretch * 2000 - 500, 50)).hung);
}

TEST(CPU_PhaseWatch, RecheckNeverAsksForLessThanAMillisecond) {
  PhaseWatch watch(1000);
  const auto j = watch.judge(seen(999.9999));
  EXPECT_FALSE(j.hung);
  EXPECT_GE(j.recheck_in_ms, 1);
}

}  // namespace
}  // namespace convprobe
