// Bad candidate selections are usage errors (issue 13, item 4): a --candidates glob that matches no candidate
// on any problem of the run, a malformed fault id, a --policy that leaves nothing, and a bisect --candidate
// the backend does not list all exit 2 before anything runs or is stored, naming what was asked for and what
// exists.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "backends/fault/fault_spec.hpp"
#include "store/store.hpp"
#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

constexpr const char* kProblem = "mb1ic3ih8oc8kh3ph1";
constexpr const char* kQuick = " --repeats 1 --warmup 0 --timeout-floor-ms 300";

::testing::AssertionResult has(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "missing '" << part << "' in: " << text;
}

/// Runs `args`, expects exit 2 and every part in stderr.
CommandResult expect_usage_error(const std::string& args, const std::vector<std::string>& parts) {
  SCOPED_TRACE(args);
  auto r = run_convprobe(args);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  for (const auto& part : parts) EXPECT_TRUE(has(r.err, part));
  return r;
}

/// Runs stored in a database (it exists and holds `runs` runs).
size_t stored_runs(const std::string& db) {
  StoreOptions read_only;
  read_only.read_only = true;
  return Store::open(db, read_only)->runs().size();
}

/// A database holding one run, to check that a rejected command adds nothing to it.
std::string database_with_one_run(const std::filesystem::path& dir) {
  const std::string db = (dir / "r.db").string();
  auto r = run_convprobe(std::string("run ") + kProblem + " -b fault --candidates fault.ok -q --db " + db +
                         kQuick);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(stored_runs(db), 1u);
  return db;
}

TEST(CPU_CliCandidateSelection, GlobMatchingNothingNamesItAndTheCandidatesThere) {
  const auto dir = temp_dir("select-nosuch");
  const std::string db = (dir / "new.db").string();
  expect_usage_error(std::string("run ") + kProblem + " -b onednn --candidates 'nosuch*' --db " + db,
                     {"convprobe: error: --candidates: 'nosuch*' matches no onednn candidate of " +
                          std::string(kProblem) + "; candidates there: ",
                      " in all)"});
  EXPECT_FALSE(std::filesystem::exists(db));  // checked before the database is opened
}

TEST(CPU_CliCandidateSelection, RejectedSelectionStoresNothing) {
  const auto dir = temp_dir("select-nothing-stored");
  const std::string db = database_with_one_run(dir);
  const std::string before = read_file(db);
  expect_usage_error(std::string("run ") + kProblem + " -b fault --candidates 'nosuch*' --db " + db,
                     {"'nosuch*' matches no fault candidate"});
  expect_usage_error("sweep --preset gfx1010-sizes -b fault --candidates 'hang@hw>42' --db " + db,
                     {"fault candidate 'hang@hw>42'"});
  expect_usage_error(
      "bisect -b fault --candidate 'fault.*' --from mb1ic3ih32oc64kh3ph1 --axis hw --to 48 --db " + db,
      {"--candidate 'fault.*' is not a fault candidate"});
  EXPECT_EQ(stored_runs(db), 1u);
  EXPECT_EQ(read_file(db), before);
}

TEST(CPU_CliCandidateSelection, SweepNamesOnlyTheGlobThatMatchesOnNoProblem) {
  const auto r = expect_usage_error(
      "sweep --preset gfx1010-sizes -b fault --candidates 'fault.ok,nosuch*,fault.slow' --no-db",
      {"--candidates: 'nosuch*' matches no fault candidate on any of the 9 problems; candidates there: "
       "fault.ok, fault.error, ",
       ", ... (27 in all)"});
  EXPECT_FALSE(has(r.err, "'fault.ok'"));
  expect_usage_error("sweep --preset gfx1010-sizes -b fault --candidates 'a*,b*' --no-db",
                     {"--candidates: 'a*', 'b*' match no fault candidate"});
}

TEST(CPU_CliCandidateSelection, GlobMatchingOnSomeProblemsOnlyIsFine) {
  // oneDNN offers winograd only on some shapes (3x3, stride 1): not on a 1x1 convolution.
  const auto wino = run_convprobe("candidates mb1ic16ih14oc16kh3ph1 -b onednn --candidates '*winograd*'");
  const auto none = run_convprobe("candidates mb1ic16ih14oc16kh1 -b onednn --candidates '*winograd*'");
  ASSERT_EQ(wino.exit_code, 0) << wino.err;
  ASSERT_EQ(none.exit_code, 0) << none.err;
  if (has(wino.out, "0 candidate(s)") || !has(none.out, "0 candidate(s)")) {
    GTEST_SKIP() << "this oneDNN offers winograd on both or neither shape:\n" << wino.out << none.out;
  }
  const auto r = run_convprobe(
      "run mb1ic16ih14oc16kh3ph1 mb1ic16ih14oc16kh1 -b onednn --candidates '*winograd*'"
      " --no-db --json -" +
      std::string(kQuick));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(nlohmann::json::parse(r.out).at("trials").size(), 1u);
  // The same glob on the 1x1 problem alone selects nothing there.
  expect_usage_error("run mb1ic16ih14oc16kh1 -b onednn --candidates '*winograd*' --no-db",
                     {"'*winograd*' matches no onednn candidate of mb1ic16ih14oc16kh1"});
}

TEST(CPU_CliCandidateSelection, MalformedFaultIdGivesTheAcceptedForms) {
  const std::vector<std::string> forms = {"fault.<kind>[@<axis><op><value>]", "kind one of ok, hang, segv",
                                          "axis one of hw, h, w, c, k, n, r", "op one of >, >=, <"};
  auto parts = forms;
  parts.insert(parts.begin(),
               "--candidates: fault candidate 'hang@hw>42': expected an id starting with 'fault.'");
  expect_usage_error("sweep --preset gfx1010-sizes -b fault --candidates 'hang@hw>42' --no-db", parts);
  expect_usage_error(std::string("run ") + kProblem + " -b fault --candidates 'fault.hnag' --no-db",
                     {"unknown fault kind 'hnag'", "fault.<kind>[@<axis><op><value>]"});
  expect_usage_error(
      std::string("run ") + kProblem + " -b fault --candidates 'fault.ok,fault.hang@hx>4' --no-db",
      {"unknown axis 'hx'"});
  parts = forms;
  parts.insert(parts.begin(), "--candidate: fault candidate 'hang@hw>42'");
  expect_usage_error(
      "bisect -b fault --candidate 'hang@hw>42' --from mb1ic3ih32oc64kh3ph1 --axis hw --to 48 --no-db",
      parts);
}

TEST(CPU_CliCandidateSelection, WellFormedUnlistedFaultIdStillRuns) {
  const auto r =
      run_convprobe("run mb1ic3ih64oc64kh3ph1 -b fault --candidates 'fault.error@hw>100' --no-db --json -" +
                    std::string(kQuick));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc.at("trials").size(), 1u);
  EXPECT_EQ(doc["trials"][0].at("candidate"), "fault.error@hw>100");
  EXPECT_EQ(doc["trials"][0].at("verdict"), "PASS");  // 64 is not above 100

  const auto b = run_convprobe(
      "bisect -b fault --candidate 'fault.error@hw>40' --from mb1ic3ih32oc64kh3ph1 --axis hw --to 48 "
      "--spot-checks 0 --no-db --json -" +
      std::string(kQuick));
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(nlohmann::json::parse(b.out).at("summary"),
            "fault.error@hw>40: PASS at hw<=40, FAILED at hw>=41");
}

TEST(CPU_CliCandidateSelection, PolicyThatLeavesNothingSaysSo) {
  const auto dir = temp_dir("select-policy");
  const std::string policy = (dir / "policy.json").string();
  std::ofstream(policy) << R"({"schema_version": 1, "backend": "fault",
      "blocked": [{"candidate": "fault.ok"}, {"candidate": "fault.slow"}]})";
  expect_usage_error(std::string("run ") + kProblem +
                         " -b fault --candidates 'fault.ok,fault.slow' --policy " + policy + " --no-db",
                     {"--candidates 'fault.ok,fault.slow' selects only candidates that --policy " + policy +
                      " blocks: fault.ok, fault.slow (2 in all); nothing left to run"});
  // Without --candidates: a policy that blocks everything the backend lists.
  const std::string all = (dir / "all.json").string();
  nlohmann::json blocked = nlohmann::json::array();
  for (const auto& id : fault::default_ids()) blocked.push_back({{"candidate", id}});
  std::ofstream(all) << nlohmann::json{
      {"schema_version", 1},
      {"backend", "fault"},
      {"blocked", blocked}}.dump();
  expect_usage_error(
      std::string("run ") + kProblem + " -b fault --policy " + all + " --no-db",
      {"--policy " + all + " blocks every fault candidate of " + kProblem + ": fault.ok, fault.error, ",
       "(27 in all); nothing left to run"});
  // Something the policy does not block is left: that runs.
  const auto r =
      run_convprobe(std::string("run ") + kProblem + " -b fault --candidates 'fault.ok,fault.nan' --policy " +
                    policy + " --no-db --json -" + kQuick);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("trials").size(), 1u);
}

TEST(CPU_CliCandidateSelection, ResumeSkippingEverythingIsNotNothingMatched) {
  const auto dir = temp_dir("select-resume");
  const std::string db = database_with_one_run(dir);
  const auto r = run_convprobe(std::string("run ") + kProblem +
                               " -b fault --candidates fault.ok --resume --db " + db + kQuick);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has(r.out, "0 trial(s)"));
  EXPECT_TRUE(has(r.out, "--resume: 1 trial(s) already stored were not re-run"));
}

TEST(CPU_CliCandidateSelection, BisectCandidateNotListedShowsACountedSample) {
  expect_usage_error(
      "bisect -b fault --candidate 'fault.nosuch*' --from mb1ic3ih32oc64kh3ph1 --axis hw --to 48 --no-db",
      {"--candidate 'fault.nosuch*' is not a fault candidate of mb1ic3ih32oc64kh3ph1; candidates there: "
       "fault.ok, ",
       "(27 in all)"});
}

TEST(CPU_CliCandidateSelection, SelftestSelectionMustSelectSomething) {
  expect_usage_error("selftest --candidates 'nosuch*'",
                     {"--candidates: 'nosuch*' matches no fault candidate on any of the 9 problems"});
  expect_usage_error("selftest --candidates 'hang@hw>42'",
                     {"fault candidate 'hang@hw>42'", "fault.<kind>[@<axis><op><value>]"});
  // The selftest runs listed ids only: a well-formed unlisted one selects nothing.
  expect_usage_error("selftest --candidates 'fault.hang@hw>100'", {"'fault.hang@hw>100' matches no fault"});
}

TEST(CPU_CliCandidateSelection, ListWithoutAGlobIsAUsageError) {
  expect_usage_error(std::string("run ") + kProblem + " -b fault --candidates ',' --no-db",
                     {"--candidates ',' holds no glob"});
}

}  // namespace
}  // namespace convprobe::test
