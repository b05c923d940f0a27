// Issue 13: a busy machine must not turn healthy candidates into HANG verdicts. Every CPU is saturated by
// busy processes while real sweeps run at the default watchdog settings; a real hang is still caught, on the
// exact sizes where it happens, in bounded time.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "supervisor/watchdog.hpp"
#include "support/cpu_load.hpp"
#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

nlohmann::json sweep_json(const std::string& args) {
  const auto r = run_convprobe("sweep --preset gfx1010-quick --no-db --json - " + args);
  EXPECT_LT(r.exit_code, 2) << r.err;
  try {
    return nlohmann::json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << e.what() << "\n" << r.out.substr(0, 500) << r.err;
    return nlohmann::json::object();
  }
}

/// "no progress for 9200 ms in phase run (deadline 2000 ms ..." -> 2000
double deadline_in(const std::string& detail) {
  const auto at = detail.find("(deadline ");
  return at == std::string::npos ? -1 : std::stod(detail.substr(at + 10));
}

int hw_of(const std::string& problem) {
  // gfx1010-quick descriptors are square: "mb1ic3ih44oc64kh3ph1" -> 44
  const auto at = problem.find("ih");
  return std::stoi(problem.substr(at + 2));
}

TEST(CPU_SweepUnderLoad, HealthyOnednnCandidatesNeverHang) {
  const CpuLoad load;
  const auto doc = sweep_json("-b onednn");
  ASSERT_TRUE(doc.contains("trials"));
  ASSERT_GT(doc["trials"].size(), 16u);
  for (const auto& t : doc["trials"]) {
    EXPECT_NE(t["verdict"], "HANG") << t["problem"] << " " << t["candidate"] << ": " << t["detail"];
    EXPECT_NE(t["verdict"], "CRASH") << t["problem"] << " " << t["candidate"] << ": " << t["detail"];
  }
}

TEST(CPU_SweepUnderLoad, FaultCandidatesKeepTheirVerdictsAndTheHangIsCaughtExactlyAbove42) {
  const CpuLoad load;
  const auto start = std::chrono::steady_clock::now();
  const auto doc = sweep_json("-b fault --candidates 'fault.ok,fault.slow,fault.wrong,fault.hang@hw>42'");
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(doc.contains("trials"));
  ASSERT_EQ(doc["trials"].size(), 16u * 4);
  int hangs = 0;
  for (const auto& t : doc["trials"]) {
    const std::string id = t["candidate"];
    const int hw = hw_of(t["problem"]);
    std::string expected = "PASS";
    if (id == "fault.wrong") expected = "MISMATCH";
    if (id == "fault.hang@hw>42" && hw > 42) expected = "HANG";
    EXPECT_EQ(t["verdict"], expected) << t["problem"] << " " << id << ": " << t["detail"];
    if (t["verdict"] == "HANG") {
      ++hangs;
      // Caught in bounded time: at most the confirmation (2 deadlines of run time) stretched by the load
      // bound, and the detail says how long it took.
      const double deadline = deadline_in(t["detail"]);
      EXPECT_GE(deadline, 2000) << t["detail"];  // the default floor
      EXPECT_LE(t["wall_ms"].get<double>(), kMaxLoadStretch * 2 * deadline + 1000) << t["detail"];
    }
  }
  EXPECT_EQ(hangs, 8);  // sizes 44 and 48, four problems each
  RecordProperty("wall_s", std::to_string(wall_s));
}

}  // namespace
}  // namespace convprobe::test
