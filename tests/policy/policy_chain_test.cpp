// Issue 6's CI chain through the built binary: the fault candidate hang@hw>42 over gfx1010-sizes -> sweep ->
// bisect finds 42 good / 43 bad -> policy --emit convprobe blocks it -> verify passes every problem with it
// (and fails without it). Short watchdog limits keep each HANG to about a second.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/cpu_load.hpp"
#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

// Short deadlines keep the injected hangs cheap, but not so short that a passing fault.ok trial on a loaded
// machine (ctest -j8 on 2 cores) is judged a HANG and blocked beside the real one.
constexpr const char* kWatchdog = " --timeout-ms 2000 --timeout-floor-ms 800";

nlohmann::json parse_or_fail(const CommandResult& r) {
  try {
    return nlohmann::json::parse(r.out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << e.what() << "\nstdout: " << r.out.substr(0, 800)
                  << "\nstderr: " << r.err;
    return nlohmann::json::object();
  }
}

/// The whole chain; `name` keeps the runs' folders apart.
void run_policy_chain(const std::string& name) {
  const auto dir = temp_dir(name);
  const std::string db = (dir / "runs.db").string();
  const std::string policy = (dir / "policy.json").string();

  auto sweep = run_convprobe(
      "sweep --preset gfx1010-sizes -b fault --candidates 'fault.ok,fault.hang@hw>42' -q --db " + db +
      kWatchdog + " --repeats 2");
  ASSERT_LT(sweep.exit_code, 2) << sweep.err;

  auto bisect = run_convprobe(
      "bisect -b fault --candidate 'fault.hang@hw>42' --from mb1ic3ih32oc64kh3ph1 --axis hw "
      "--to 512 --json - --repeats 2 --db " +
      db + kWatchdog);
  ASSERT_EQ(bisect.exit_code, 0) << bisect.out << bisect.err;
  const auto b = parse_or_fail(bisect);
  EXPECT_EQ(b["result"], "boundary");
  EXPECT_EQ(b["last_good"]["value"], 42);
  EXPECT_EQ(b["last_good"]["verdict"], "PASS");
  EXPECT_EQ(b["first_bad"]["value"], 43);
  EXPECT_EQ(b["first_bad"]["verdict"], "HANG");
  EXPECT_EQ(b["summary"], "fault.hang@hw>42: PASS at hw<=42, HANG at hw>=43");

  auto pol = run_convprobe("policy --db " + db + " --emit convprobe -o " + policy);
  ASSERT_EQ(pol.exit_code, 0) << pol.err;
  const auto p = nlohmann::json::parse(read_file(policy));
  ASSERT_EQ(p["blocked"].size(), 1u) << p.dump(1);
  EXPECT_EQ(p["blocked"][0]["candidate"], "fault.hang@hw>42");
  EXPECT_NE(pol.err.find("blocked fault.hang@hw>42: HANG on"), std::string::npos) << pol.err;

  auto verify =
      run_convprobe("verify --policy " + policy + " --db " + db + " --json -" + kWatchdog + " --repeats 2");
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  const auto v = parse_or_fail(verify);
  EXPECT_EQ(v["ok"], true);
  ASSERT_GE(v["problems"].size(), 9u);
  for (const auto& prob : v["problems"]) {
    EXPECT_EQ(prob["status"], "ok") << prob.dump();
    for (const auto& c : prob["candidates"]) {
      EXPECT_NE(c["candidate"], "fault.hang@hw>42") << prob.dump();
      EXPECT_EQ(c["after"], "PASS") << prob.dump();
    }
  }

  // A policy that blocks nothing must fail verification on a problem where the hang is still there.
  const std::string empty = (dir / "empty.json").string();
  std::ofstream(empty) << R"({"schema_version": 1, "backend": "fault",
      "preferred": [{"problem": "mb1ic3ih44oc64kh3ph1", "candidate": "fault.ok"}]})";
  auto bad = run_convprobe("verify --policy " + empty + " --db " + db + kWatchdog + " --repeats 2");
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("still failing fault.hang@hw>42: HANG"), std::string::npos) << bad.out;
}

TEST(PolicyChain, FaultHangSweepBisectPolicyVerify) { run_policy_chain("policy-chain"); }

// Issue 13: on a 2-core machine that was also building something, fault.ok got a false HANG in setup and the
// policy blocked it. The same chain with every CPU saturated by busy processes must give the same answers.
TEST(PolicyChain, TheSameChainWithEveryCpuBusy) {
  const CpuLoad load;
  run_policy_chain("policy-chain-load");
}

TEST(PolicyChain, BadUsageNamesTheProblem) {
  auto r = run_convprobe(
      "bisect -b fault --candidate fault.ok --from mb1ic3ih32oc64kh3ph1 --axis q --to 64 --no-db");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--axis 'q'"), std::string::npos) << r.err;
  r = run_convprobe(
      "bisect -b fault --candidate fault.ok --from mb1ic3ih32oc64kh3ph1 --axis n --to 0 --no-db");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--to 0"), std::string::npos) << r.err;
  r = run_convprobe("policy --db /nonexistent/x.db --emit convprobe");
  EXPECT_EQ(r.exit_code, 2);
  r = run_convprobe("policy --db /nonexistent/x.db --emit yaml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--emit 'yaml'"), std::string::npos) << r.err;
  r = run_convprobe("verify --policy /nonexistent/p.json");
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace convprobe::test
