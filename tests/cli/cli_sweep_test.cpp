// The main job end to end through the binary: sweeps, runs in every direction, JSON output, and kill -9 of
// the supervisor followed by --resume (every trial stored exactly once).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "store/store.hpp"
#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

nlohmann::json run_json(const std::string& args) {
  auto r = run_convprobe(args + " --json -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  try {
    return nlohmann::json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << e.what() << "\n" << r.out.substr(0, 500) << "\n" << r.err;
    return {};
  }
}

TEST(CliSweep, OnednnQuickPresetPassesSeveralImplementationsPerProblem) {
  auto dir = temp_dir("sweep-onednn");
  auto doc = run_json("sweep --preset gfx1010-quick -b onednn --repeats 2 --warmup 1 --db " +
                      (dir / "r.db").string());
  ASSERT_TRUE(doc.contains("trials"));
  ASSERT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["run"]["backend"], "onednn");
  std::map<std::string, std::set<std::string>> passing;
  for (const auto& t : doc["trials"]) {
    ASSERT_TRUE(t.contains("verdict"));
    EXPECT_TRUE(t["verdict"] == "PASS" || t["verdict"] == "UNSUPPORTED") << t.dump();
    if (t["verdict"] == "PASS") {
      passing[t["problem"]].insert(t["candidate"]);
      EXPECT_GT(t["time_ms"]["median"].get<double>(), 0);
      EXPECT_FALSE(t["repro"].get<std::string>().empty());
    }
  }
  EXPECT_GE(passing.size(), 4u);
  for (const auto& [problem, ids] : passing) EXPECT_GE(ids.size(), 3u) << problem;
}

TEST(CliSweep, RunBackwardDataAndWeights) {
  for (const std::string p : {"bwdd_mb2ic16ih12oc8kh3ph1", "bwdw_mb2ic16ih12oc8kh3ph1sh2"}) {
    auto doc = run_json("run " + p + " -b onednn --repeats 2 --no-db");
    ASSERT_TRUE(doc.contains("trials")) << p;
    int pass = 0;
    for (const auto& t : doc["trials"]) pass += t["verdict"] == "PASS";
    EXPECT_GE(pass, 2) << p << doc.dump(1);
  }
}

TEST(CliSweep, TableOutputHasVerdictsAndTimings) {
  auto r = run_convprobe("run mb1ic8ih10oc8kh3ph1 -b reference --repeats 2 --no-db");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("reference.direct"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("median_ms"), std::string::npos) << r.out;
}

TEST(CliSweep, KillNineThenResumeStoresEveryTrialOnce) {
  auto dir = temp_dir("resume");
  const std::string db = (dir / "r.db").string();
  // `fault.slow` is correct but slow, so the sweep is still running when it is killed.
  const std::string args =
      "sweep --preset gfx1010-sizes -b fault --candidates 'fault.ok,fault.slow' -q --db " + db;
  auto bg = run_shell("sh -c 'echo $$ > " + (dir / "pid").string() + "; exec " + convprobe_bin() + " " +
                      args + " >/dev/null 2>&1' & sleep 0.1");
  (void)bg;
  // Wait until a few trials are committed, then kill -9 the supervisor.
  size_t stored = 0;
  for (int i = 0; i < 200 && stored < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {
      stored = Store::open(db)->trials({}).size();
    } catch (const std::exception&) {
      stored = 0;
    }
  }
  ASSERT_GE(stored, 3u) << "the sweep did not commit trials";
  const int pid = std::stoi(read_file(dir / "pid"));
  ::kill(pid, SIGKILL);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const size_t before_resume = Store::open(db)->trials({}).size();
  EXPECT_LT(before_resume, 18u) << "the sweep finished before the kill; the test proves nothing";

  auto r = run_convprobe(args + " --resume");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::pair<std::string, std::string>, int> count;
  for (const auto& t : Store::open(db)->trials({})) ++count[{t.problem, t.candidate.id}];
  EXPECT_EQ(count.size(), 18u);  // 9 sizes x 2 candidates
  for (const auto& [k, n] : count) EXPECT_EQ(n, 1) << k.first << " " << k.second;
}

}  // namespace
}  // namespace convprobe::test
