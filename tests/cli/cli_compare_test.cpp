// `convprobe compare` on real sweeps of the fault backend (issue 17): a --policy that blocks the fastest
// candidate (and an environment variable set for the second sweep), verification switched on between two
// sweeps, runs of one database, a database from before samples were stored, and the exit codes: 0 no
// regression, 1 a regression, 2 bad usage.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "store/store_fixtures.hpp"
#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

constexpr const char* kCandidates = "fault.ok,fault.slow,fault.wrong";
constexpr const char* kQuick = " -b fault -q --warmup 1 --timeout-floor-ms 300";

::testing::AssertionResult has(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "missing '" << part << "' in:\n" << text;
}

/// A folder with a problems file of two problems and a policy blocking fault.ok.
struct Workspace {
  explicit Workspace(const std::string& name) : dir(temp_dir(name)) {
    std::ofstream(dir / "problems.txt") << "mb1ic3ih8oc8kh3ph1\nmb1ic3ih16oc8kh3ph1\n";
    std::ofstream(dir / "policy.json")
        << R"({"schema_version": 1, "backend": "fault", "blocked": [{"candidate": "fault.ok"}]})";
  }
  [[nodiscard]] std::string path(const std::string& name) const { return (dir / name).string(); }
  /// `convprobe sweep` of the problems into `db`, with `env` before the command.
  void sweep(const std::string& db, const std::string& options, const std::string& env = "",
             const std::string& candidates = kCandidates) const {
    const auto r = run_shell(env + " " + convprobe_bin() + " sweep --problems " + path("problems.txt") +
                             " --candidates " + candidates + kQuick + " --db " + path(db) + options);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  [[nodiscard]] CommandResult compare(const std::string& args) const {
    return run_shell("cd " + dir.string() + " && " + convprobe_bin() + " compare " + args);
  }
  std::filesystem::path dir;
};

TEST(CPU_CliCompare, APolicyBlockingTheFastestCandidateIsASlowdown) {
  const Workspace w("compare-policy");
  w.sweep("before.db", "");
  w.sweep("after.db", " --policy " + w.path("policy.json"), "MIOPEN_DEBUG_CONV_GEMM=0");
  const auto r = w.compare("before.db after.db");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "A: run 1 of before.db"));
  EXPECT_TRUE(has(r.out, "Candidates appeared or disappeared: 2 (0 regression(s))"));
  EXPECT_TRUE(has(r.out, "DISAPPEARED  mb1ic3ih8oc8kh3ph1   fault.ok"));
  EXPECT_TRUE(has(r.out, "SLOWER !"));
  EXPECT_TRUE(has(r.out, "  env.MIOPEN_DEBUG_CONV_GEMM: (unset) -> 0\n"));
  EXPECT_TRUE(has(r.out, "--policy " + w.path("policy.json")));
  EXPECT_TRUE(has(r.out, "2 best candidate(s) slower or lost"));

  const auto json = w.compare("before.db after.db --json -");
  EXPECT_EQ(json.exit_code, 1) << json.err;
  const auto doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc.at("schema_version"), 1);
  ASSERT_EQ(doc.at("best").size(), 2u);
  for (const auto& best : doc.at("best")) {
    EXPECT_EQ(best.at("a"), "fault.ok");
    EXPECT_EQ(best.at("b"), "fault.slow");
    EXPECT_EQ(best.at("time").at("test"), "mann-whitney");  // ten samples a side, stored by the sweeps
    EXPECT_LT(best.at("time").at("p").get<double>(), 0.001);
    EXPECT_TRUE(best.at("regression").get<bool>());
  }
  // Markdown to a file, for a pull request: the result first.
  const auto md = w.compare("before.db after.db --markdown report.md");
  EXPECT_EQ(md.exit_code, 1);
  EXPECT_EQ(read_file(w.dir / "report.md").rfind("# convprobe compare: ", 0), 0u);
  // The other way round only gains speed; a run against itself changes nothing.
  const auto back = w.compare("after.db before.db");
  EXPECT_EQ(back.exit_code, 0) << back.out;
  EXPECT_TRUE(has(back.out, "compare: no regression"));
  EXPECT_EQ(w.compare("before.db before.db:1").exit_code, 0);
}

TEST(CPU_CliCompare, AVerdictThatGotWorseIsListedWithItsRepro) {
  const Workspace w("compare-verdicts");
  w.sweep("unverified.db", " --no-verify --no-time");
  w.sweep("verified.db", " --no-time");
  const auto r = w.compare("unverified.db verified.db");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "Verdict changes: 2 (2 regression(s))"));
  EXPECT_TRUE(has(r.out, "WORSE !  mb1ic3ih8oc8kh3ph1   fault.wrong  PASS  MISMATCH  B: rel_err"));
  EXPECT_TRUE(has(r.out, "repro: convprobe run mb1ic3ih8oc8kh3ph1 -b fault --candidates fault.wrong"));
  EXPECT_TRUE(has(r.out, "Timing: 0 pair(s)"));
  const auto fixed = w.compare("verified.db unverified.db");
  EXPECT_EQ(fixed.exit_code, 0) << fixed.out;
  EXPECT_TRUE(has(fixed.out, "BETTER"));
}

TEST(CPU_CliCompare, RunsOfOneDatabase) {
  const Workspace w("compare-one-db");
  w.sweep("one.db", " --no-time");
  w.sweep("one.db", " --no-time", "", "fault.ok");
  const auto by_ids = w.compare("1 2 --db one.db");
  EXPECT_EQ(by_ids.exit_code, 0) << by_ids.out << by_ids.err;
  EXPECT_TRUE(has(by_ids.out, "A: run 1 of one.db"));
  EXPECT_TRUE(has(by_ids.out, "B: run 2 of one.db"));
  EXPECT_TRUE(has(by_ids.out, "DISAPPEARED"));
  const auto by_file = w.compare("one.db:1 one.db --json -");
  ASSERT_EQ(by_file.exit_code, 0) << by_file.err;
  EXPECT_EQ(nlohmann::json::parse(by_file.out).at("b").at("id"), 2);  // the latest run
}

TEST(CPU_CliCompare, ADatabaseFromBeforeSamplesIsJudgedByTheRatioAndSaysSo) {
  const Workspace w("compare-old-db");
  w.sweep("before.db", "");
  w.sweep("after.db", " --policy " + w.path("policy.json"));
  {  // what convprobe wrote before schema 4
    RawDb raw(w.path("before.db"));
    ASSERT_EQ(raw.exec("ALTER TABLE trials DROP COLUMN time_samples_json; UPDATE meta SET value = '3' "
                       "WHERE key = 'schema_version'"),
              SQLITE_OK);
  }
  const auto r = w.compare("before.db after.db");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "judged by the ratio alone (no samples stored, or too few for the test)"));
  EXPECT_TRUE(has(r.out, "n/a: no samples  SLOWER !"));
  EXPECT_EQ(RawDb(w.path("before.db")).scalar("SELECT value FROM meta WHERE key = 'schema_version'"), "3");
}

TEST(CPU_CliCompare, BadUsageIsExitTwoNamingTheValue) {
  const Workspace w("compare-usage");
  w.sweep("a.db", " --no-time");
  const struct {
    const char* args;
    const char* says;
  } cases[] = {
      {"missing.db a.db", "A 'missing.db': no results database at missing.db; expected RUN_ID"},
      {"a.db 7 --db a.db", "B '7': no run 7 in a.db (runs: 1;"},
      {"a.db a.db: ", "B 'a.db:': no run id after ':'"},
      {"a.db a.db --threshold 0.05", "--threshold '0.05' is not a percentage"},
      {"a.db a.db --alpha 1.5", "--alpha 1.5: expected a significance level between 0 and 1"},
      {"a.db a.db --json - --markdown -", "both ask for stdout"},
      {"a.db", "B is required"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args);
    const auto r = w.compare(c.args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_TRUE(has(r.err, c.says));
  }
}

}  // namespace
}  // namespace convprobe::test
