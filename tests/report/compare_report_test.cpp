// The printers of `convprobe compare` (issue 17) on one hand-made Comparison: the table, the Markdown and the
// JSON show the same changes, regressions marked, repro commands given, SAME rows only counted.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "report/compare_output.hpp"

namespace convprobe {
namespace {

::testing::AssertionResult has(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "missing '" << part << "' in:\n" << text;
}

Comparison sample_comparison() {
  Comparison c;
  c.a.db_path = "before.db";
  c.a.run.id = 1;
  c.a.run.fingerprint.backend = "fault";
  c.a.trials = 4;
  c.b = c.a;
  c.b.db_path = "after.db";
  c.b.run.id = 2;
  CandidateChange worse{"mb1ic3ih8oc8kh3ph1",
                        "",
                        "fault",
                        "fault.wrong",
                        Verdict::pass,
                        Verdict::mismatch,
                        "",
                        "rel_err 0.1 > 1e-05 | first bad at 3",
                        "convprobe run mb1ic3ih8oc8kh3ph1 -b fault",
                        ChangeKind::worse,
                        true};
  CandidateChange gone{
      "mb1ic3ih8oc8kh3ph1",    "",   "fault", "fault.ok", Verdict::pass, std::nullopt, "ok", "", "repro ok",
      ChangeKind::disappeared, false};
  c.changes = {worse, gone};
  const TimeChange slower{1.0, 10.0, 10.0, SpeedTest::mann_whitney, 0.00018, 10, 10, Speed::slower};
  const TimeChange same{1.0, 1.01, 1.01, SpeedTest::no_samples, 1, 0, 0, Speed::same};
  c.best = {
      BestChange{"mb1ic3ih8oc8kh3ph1", "", "fault", "fault.ok", "fault.slow", true, true, slower, true}};
  c.timing = {PairTiming{"mb1ic3ih8oc8kh3ph1", "", "fault", "fault.slow", same}};
  c.geomeans = {GeomeanRow{"fault", "f32", "fwd", 1, 1.01, 1, 10.0}};
  c.fingerprint = {FingerprintChange{"env.MIOPEN_DEBUG_CONV_GEMM", "(unset)", "0"}};
  c.matched = 3;
  return c;
}

std::string table_text(const Comparison& c) {
  char* buffer = nullptr;
  size_t size = 0;
  FILE* out = open_memstream(&buffer, &size);
  print_comparison_table(out, c);
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

TEST(CPU_CompareReport, TableListsVerdictChangesFirstAndEndsOnTheResult) {
  const std::string t = table_text(sample_comparison());
  EXPECT_TRUE(has(t, "A: run 1 of before.db"));
  EXPECT_TRUE(has(t, "Verdict changes: 1 (1 regression(s))"));
  EXPECT_TRUE(has(t, "WORSE !"));
  EXPECT_TRUE(has(t, "repro: convprobe run mb1ic3ih8oc8kh3ph1 -b fault"));
  EXPECT_TRUE(has(t, "Candidates appeared or disappeared: 1 (0 regression(s))"));
  EXPECT_TRUE(has(t, "DISAPPEARED"));
  EXPECT_TRUE(has(t, "fault.slow"));
  EXPECT_TRUE(has(t, "+900.0%"));
  EXPECT_TRUE(has(t, "SLOWER !"));
  EXPECT_TRUE(has(
      t, "Timing: 1 pair(s) timed in both runs: 1 SAME, 0 FASTER, 0 SLOWER; 1 judged by the ratio alone"));
  EXPECT_TRUE(has(t, "  env.MIOPEN_DEBUG_CONV_GEMM: (unset) -> 0\n"));
  EXPECT_LT(t.find("Verdict changes"), t.find("Candidates appeared"));
  EXPECT_LT(t.find("Candidates appeared"), t.find("Best candidate"));
  EXPECT_TRUE(has(t.substr(t.rfind("compare: ")),
                  "compare: 2 regression(s): 1 worse verdict(s), 1 best candidate(s) slower or lost"));
}

TEST(CPU_CompareReport, MarkdownStartsWithTheResultAndEscapesPipes) {
  const std::string md = comparison_markdown(sample_comparison());
  EXPECT_EQ(md.rfind("# convprobe compare: 2 regression(s)", 0), 0u) << md;
  EXPECT_TRUE(has(md, "## Verdict changes: 1 (1 regression(s))"));
  EXPECT_TRUE(has(md, "| **WORSE** | `mb1ic3ih8oc8kh3ph1` | `fault.wrong` | PASS | MISMATCH |"));
  EXPECT_TRUE(has(md, "rel_err 0.1 > 1e-05 \\| first bad at 3"));
  EXPECT_TRUE(has(md, "`convprobe run mb1ic3ih8oc8kh3ph1 -b fault`"));
  EXPECT_TRUE(has(
      md, "| `mb1ic3ih8oc8kh3ph1` | `fault.ok` | `fault.slow` | 10.000 | +900.0% | 0.00018 | **SLOWER** |"));
  EXPECT_TRUE(has(md, "## Fingerprint differences: 1"));
}

TEST(CPU_CompareReport, JsonHoldsEveryRowWithTheDocumentHeader) {
  const nlohmann::json j = comparison_json(sample_comparison());
  EXPECT_EQ(j.at("schema_version"), 1);
  EXPECT_EQ(j.at("regressions"), 2);
  EXPECT_EQ(j.at("a").at("id"), 1);
  EXPECT_EQ(j.at("b").at("db"), "after.db");
  ASSERT_EQ(j.at("changes").size(), 2u);
  EXPECT_EQ(j.at("changes")[0].at("change"), "WORSE");
  EXPECT_EQ(j.at("changes")[0].at("b").at("verdict"), "MISMATCH");
  EXPECT_TRUE(j.at("changes")[1].at("b").is_null());
  EXPECT_EQ(j.at("best")[0].at("time").at("speed"), "SLOWER");
  EXPECT_EQ(j.at("timing")[0].at("test"), "ratio only: no samples");
  EXPECT_TRUE(j.at("timing")[0].at("p").is_null());
  EXPECT_EQ(j.at("geomeans")[0].at("best_geomean"), 10.0);
  EXPECT_EQ(j.at("fingerprint_changes")[0].at("field"), "env.MIOPEN_DEBUG_CONV_GEMM");
}

}  // namespace
}  // namespace convprobe
