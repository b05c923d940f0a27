// `convprobe results`: the table, the JSON document, filters, and its errors (through the built binary for
// output, and in-process through cli::run_cli for exit codes).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "store_fixtures.hpp"
#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

int run_cli(std::vector<std::string> args) {
  args.insert(args.begin(), "convprobe");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return cli::run_cli(static_cast<int>(argv.size()), argv.data());
}

class CPU_ResultsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::open(path_);
    run_ = store->begin_run(sample_fingerprint("fault"), false);
    store->add_trial(run_, sample_problem(8), "fault", sample_candidate("ok"), sample_result(Verdict::pass),
                     "r1");
    store->add_trial(run_, sample_problem(64, "gfx1010:big"), "fault", sample_candidate("hang@hw>42"),
                     sample_result(Verdict::hang, "watchdog fired in phase run\nlast stderr: spinning"),
                     "r2");
    store->add_trial(run_, sample_problem(64, "gfx1010:big"), "fault", sample_candidate("segv"),
                     sample_result(Verdict::crash, "SIGSEGV"), "r3");
  }
  ScratchDir dir_;
  std::string path_ = dir_.file("results.db");
  int64_t run_ = 0;
};

TEST_F(CPU_ResultsCli, TableShowsTrialsAndCountsPerVerdict) {
  const auto r = run_convprobe("results --db " + path_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "hang@hw>42"));
  EXPECT_TRUE(contains(r.out, "HANG"));
  EXPECT_TRUE(contains(r.out, "SIGSEGV"));
  EXPECT_TRUE(contains(r.out, "1.25"));  // median ms of the PASS
  EXPECT_TRUE(contains(r.out, "3 trial(s) in " + path_ + ":  PASS 1  CRASH 1  HANG 1"));
}

TEST_F(CPU_ResultsCli, JsonToStdoutIsOneDocumentWithTheSweepFieldNames) {
  const auto r = run_convprobe("results --db " + path_ + " --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);  // nothing else on stdout
  EXPECT_EQ(doc.at("schema_version"), 1);
  ASSERT_EQ(doc.at("runs").size(), 1u);
  EXPECT_EQ(doc["runs"][0].at("id"), run_);
  EXPECT_EQ(doc["runs"][0].at("trials"), 3);
  EXPECT_EQ(doc["runs"][0].at("identity"), sample_fingerprint("fault").identity());
  EXPECT_EQ(doc["runs"][0].at("backend"), "fault");
  ASSERT_EQ(doc.at("trials").size(), 3u);
  const auto& pass = doc["trials"][0];
  for (const char* field :
       {"problem", "backend", "candidate", "family", "notes", "verdict", "detail", "phase", "time_ms",
        "rel_err", "workspace_bytes", "verify", "device", "attempt", "repro", "run_id"}) {
    EXPECT_TRUE(pass.contains(field)) << field;
  }
  EXPECT_EQ(pass.at("problem"), key(sample_problem(8)));
  EXPECT_EQ(pass.at("verdict"), "PASS");
  EXPECT_EQ(pass.at("time_ms").at("median"), 1.25);
  EXPECT_EQ(pass.at("verify").at("points"), 16384);
  EXPECT_EQ(pass.at("run_id"), run_);
  EXPECT_EQ(pass.at("repro"), "r1");
  EXPECT_EQ(doc["trials"][1].at("label"), "gfx1010:big");
  EXPECT_EQ(doc["trials"][1].at("detail"), "watchdog fired in phase run\nlast stderr: spinning");
  EXPECT_TRUE(doc["trials"][1].at("time_ms").is_null());
}

TEST_F(CPU_ResultsCli, InvalidUtf8InADetailDoesNotBreakTheJsonExport) {
  {
    auto store = Store::open(path_);
    store->add_trial(run_, sample_problem(9), "fault", sample_candidate("garbage"),
                     sample_result(Verdict::crash, "worker wrote \xff\xfe junk"), "r4");
  }
  const auto r = run_convprobe("results --db " + path_ + " --candidates garbage --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc.at("trials").size(), 1u);
  EXPECT_TRUE(contains(doc["trials"][0].at("detail").get<std::string>(), "junk"));
}

TEST_F(CPU_ResultsCli, FiltersSelectTrials) {
  const auto by_verdict = run_convprobe("results --db " + path_ + " --verdict hang,crash --json -");
  ASSERT_EQ(by_verdict.exit_code, 0) << by_verdict.err;
  EXPECT_EQ(nlohmann::json::parse(by_verdict.out).at("trials").size(), 2u);

  const auto by_candidate = run_convprobe("results --db " + path_ + " --candidates 'seg*' --json -");
  ASSERT_EQ(by_candidate.exit_code, 0) << by_candidate.err;
  const auto doc = nlohmann::json::parse(by_candidate.out);
  ASSERT_EQ(doc.at("trials").size(), 1u);
  EXPECT_EQ(doc["trials"][0].at("candidate"), "segv");

  const auto by_problem = run_convprobe("results --db " + path_ + " --problem 'gfx1010:*' -b fault --json -");
  ASSERT_EQ(by_problem.exit_code, 0) << by_problem.err;
  EXPECT_EQ(nlohmann::json::parse(by_problem.out).at("trials").size(), 2u);
}

TEST_F(CPU_ResultsCli, RunsListsFingerprints) {
  const auto r = run_convprobe("results --db " + path_ + " --runs");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, sample_fingerprint("fault").identity()));
  EXPECT_TRUE(contains(r.out, "testhost"));
  EXPECT_TRUE(contains(r.out, "convprobe sweep -b fault"));
}

TEST_F(CPU_ResultsCli, UnknownVerdictIsAUsageErrorListingTheValidOnes) {
  const auto r = run_convprobe("results --db " + path_ + " --verdict PASS,HUNG");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "--verdict: unknown verdict 'HUNG'"));
  EXPECT_TRUE(contains(r.err, "PASS, MISMATCH"));
  EXPECT_EQ(run_cli({"results", "--db", path_, "--verdict", "bogus"}), cli::kExitUsage);
}

TEST_F(CPU_ResultsCli, UnknownRunIsAUsageError) {
  EXPECT_EQ(run_cli({"results", "--db", path_, "--run", "999"}), cli::kExitUsage);
}

// Exit 2 since issue 13: a missing database is bad input, the same in every reading command (it was 1 here
// and 2 in `policy`).
TEST_F(CPU_ResultsCli, MissingDatabaseIsAUsageErrorAndIsNotCreated) {
  const std::string missing = dir_.file("missing.db");
  const auto r = run_convprobe("results --db " + missing);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(
      contains(r.err, "no results database at " + missing +
                          " (given with --db); create it by storing "
                          "results there, e.g. `convprobe sweep --preset gfx1010-quick -b onednn --db " +
                          missing + "`"));
  EXPECT_EQ(run_cli({"results", "--db", missing}), cli::kExitUsage);
  EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST_F(CPU_ResultsCli, ForeignFileIsAnErrorAndIsNotModified) {
  const std::string text_file = dir_.file("notes.txt");
  write_bytes(text_file, "not a database at all, just text that is long enough to have a header\n");
  const auto r = run_convprobe("results --db " + text_file);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "is not a SQLite database or is corrupt"));
  EXPECT_EQ(file_bytes(text_file), "not a database at all, just text that is long enough to have a header\n");
}

}  // namespace
}  // namespace convprobe::test
