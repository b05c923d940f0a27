// One device's workers on their own (supervisor/device_slot.hpp): the warm standby, its promotion, and the
// count of workers lost before their hello. Real worker processes of the fault backend.
#include "supervisor/device_slot.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "fault_fixture.hpp"

namespace convprobe {
namespace {

using Kind = SupervisorEvent::Kind;
using Clock = std::chrono::steady_clock;

struct SlotFixture {
  explicit SlotFixture(ExecutorOptions o = test::fault_executor_options()) : options(std::move(o)) {}
  ExecutorOptions options;
  WorkerSet set;
  SupervisorLog log;
  std::optional<BackendInfo> info;
  DeviceSlot slot{0, DeviceSlot::Shared{&options, &set, &log, &info}};

  [[nodiscard]] int count(Kind kind) const {
    return static_cast<int>(std::count_if(log.events().begin(), log.events().end(),
                                          [kind](const SupervisorEvent& e) { return e.kind == kind; }));
  }
  /// Reads the active worker's hello as the executor would.
  bool read_active_hello() {
    nlohmann::json message;
    std::string err;
    DeviceSlot::Worker& w = slot.active();
    while (w.process->next_message(&message, &err) == protocol::FrameDecoder::Status::message) {
      if (!slot.handle_hello(w, message, &err)) return false;
    }
    return true;
  }
};

TEST(CPU_DeviceSlot, TheStandbySaysHelloInTheBackgroundAndIsPromoted) {
  SignalScope signals;
  SlotFixture f;
  f.slot.ensure_workers(true);
  EXPECT_EQ(f.count(Kind::spawned), 2);
  const auto until = Clock::now() + std::chrono::seconds(30);
  while ((!f.slot.active().ready || !f.slot.standby().ready) && Clock::now() < until) {
    (void)f.set.wait(f.slot.hello_deadline(until));
    f.slot.service_standby();
    ASSERT_TRUE(f.read_active_hello());
  }
  ASSERT_TRUE(f.slot.active_ready());
  ASSERT_TRUE(f.slot.standby().ready);
  ASSERT_TRUE(f.info.has_value());
  EXPECT_EQ(f.info->name, "fault");
  EXPECT_EQ(f.slot.hello_deadline(until), until);  // nobody is waiting for a hello any more

  const int64_t standby_pid = f.slot.standby().process->pid();
  f.slot.lose(f.slot.active(), "lost on purpose");
  EXPECT_FALSE(f.slot.has_active());
  EXPECT_EQ(f.slot.last_loss(), "lost on purpose");
  f.slot.ensure_workers(false);
  EXPECT_TRUE(f.slot.active_ready()) << "the promoted standby had already said hello";
  EXPECT_EQ(f.slot.active().process->pid(), standby_pid);
  EXPECT_EQ(f.slot.standby().process, nullptr);
  EXPECT_EQ(f.count(Kind::promoted), 1);
  EXPECT_EQ(f.count(Kind::worker_lost), 1);
  EXPECT_EQ(f.count(Kind::spawned), 2) << "a promotion starts nothing";
}

TEST(CPU_DeviceSlot, WorkersLostBeforeTheirHelloEndTheDeviceAfterThreeInARow) {
  SignalScope signals;
  ExecutorOptions o = test::fault_executor_options();
  o.worker_executable = "/bin/false";  // starts, never says hello, exits 1
  SlotFixture f(o);
  try {
    for (int turn = 0; turn < 20; ++turn) {
      f.slot.ensure_workers(true);
      (void)f.set.wait(Clock::now() + std::chrono::seconds(5));
      f.slot.service_standby();
    }
    FAIL() << "expected the slot to give up";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("3 workers for backend 'fault' on device 0 in a row ended before they were ready"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("standby worker ended: exit status 1"), std::string::npos) << what;
  }
  EXPECT_EQ(f.count(Kind::ready), 0);
}

}  // namespace
}  // namespace convprobe
