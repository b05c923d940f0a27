// The CSV printer (report/csv_printer.hpp): the fixed header, one row per trial, RFC 4180 quoting of every
// special character, CRLF line ends, the formula guard on text fields only, and the runs / run_id columns.
#include "report/csv_printer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/csv_reader.hpp"
#include "support/run_command.hpp"

namespace convprobe {
namespace {

const std::string kHeader =
    "run_id,backend,device,problem,label,runs,direction,type,layout,candidate,family,verdict,detail,phase,"
    "time_median_ms,time_min_ms,samples,tflops,rel_err,repro\r\n";

ReportedTrial trial_of(const std::string& id) {
  ReportedTrial t{};
  std::string err;
  EXPECT_TRUE(parse_problem("mb2ic16ih12oc8kh3ph1", &t.problem, &err)) << err;
  t.backend = "reference";
  t.candidate.id = id;
  t.candidate.family = "direct";
  t.result.verdict = Verdict::pass;
  t.result.phase = Phase::time;
  t.result.device = "cpu";
  t.result.rel_err = 1.5e-7;
  t.result.time = summarize_samples({0.25, 0.125, 0.5});
  t.repro = repro_command(t.problem, t.backend, t.candidate);
  return t;
}

/// The CSV of `trials` as CsvPrinter writes it to a file.
std::string csv_of(const std::vector<ReportedTrial>& trials) {
  const auto dir = test::temp_dir("csv-printer");
  const auto path = (dir / "out.csv").string();
  CsvPrinter printer(path);
  printer.begin(ReportBegin{});
  for (const auto& t : trials) printer.trial(t);
  printer.end(ReportEnd{});
  return test::read_file(path);
}

size_t column(std::string_view name) {
  const auto& columns = csv_columns();
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

TEST(CsvField, PlainTextIsLeftAlone) {
  EXPECT_EQ(csv_field("PASS", true), "PASS");
  EXPECT_EQ(csv_field("", true), "");
  EXPECT_EQ(csv_field("a b;c\t'", true), "a b;c\t'");
}

TEST(CsvField, EverySpecialCharacterIsQuotedAndQuotesDoubled) {
  EXPECT_EQ(csv_field("a,b", true), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\"", true), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("\"", true), "\"\"\"\"");
  EXPECT_EQ(csv_field("line\nbreak", true), "\"line\nbreak\"");
  EXPECT_EQ(csv_field("cr\rhere", true), "\"cr\rhere\"");
  EXPECT_EQ(csv_field("crlf\r\n", true), "\"crlf\r\n\"");
}

TEST(CsvField, FormulaLookingTextGetsAQuotePrefixNumbersNever) {
  EXPECT_EQ(csv_field("=1+1", true), "'=1+1");
  EXPECT_EQ(csv_field("+cmd", true), "'+cmd");
  EXPECT_EQ(csv_field("-2", true), "'-2");
  EXPECT_EQ(csv_field("@SUM(A1)", true), "'@SUM(A1)");
  EXPECT_EQ(csv_field("\tx", true), "'\tx");
  EXPECT_EQ(csv_field("\rx", true), "\"'\rx\"");
  EXPECT_EQ(csv_field("=HYPERLINK(\"x\",\"y\")", true), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
  EXPECT_EQ(csv_field("-1.5e-07", false), "-1.5e-07");
  EXPECT_EQ(csv_field("a=b", true), "a=b");
}

TEST(CsvPrinter, HeaderThenOneCrlfRowPerTrial) {
  const std::string text = csv_of({trial_of("a"), trial_of("b"), trial_of("c")});
  ASSERT_EQ(text.substr(0, kHeader.size()), kHeader);
  const auto records = test::parse_csv(text);
  ASSERT_TRUE(records.has_value()) << text;
  ASSERT_EQ(records->size(), 4u);
  for (const auto& r : *records) EXPECT_EQ(r.size(), csv_columns().size());
  const auto& row = (*records)[1];
  EXPECT_EQ(row[column("run_id")], "");
  EXPECT_EQ(row[column("backend")], "reference");
  EXPECT_EQ(row[column("device")], "cpu");
  EXPECT_EQ(row[column("problem")], key(trial_of("a").problem));
  EXPECT_EQ(row[column("runs")], "");
  EXPECT_EQ(row[column("direction")], "fwd");
  EXPECT_EQ(row[column("type")], "f32");
  EXPECT_EQ(row[column("layout")], "nchw");
  EXPECT_EQ(row[column("candidate")], "a");
  EXPECT_EQ(row[column("family")], "direct");
  EXPECT_EQ(row[column("verdict")], "PASS");
  EXPECT_EQ(row[column("phase")], "time");
  EXPECT_EQ(row[column("time_median_ms")], "0.25");
  EXPECT_EQ(row[column("time_min_ms")], "0.125");
  EXPECT_EQ(row[column("samples")], "3");
  EXPECT_EQ(row[column("rel_err")], "1.5e-07");
  EXPECT_EQ(std::stod(row[column("tflops")]), tflops(trial_of("a").problem, trial_of("a").result));
  EXPECT_EQ(row[column("repro")], trial_of("a").repro);
  EXPECT_EQ((*records)[3][column("candidate")], "c");
}

TEST(CsvPrinter, NoTrialsIsTheHeaderAlone) { EXPECT_EQ(csv_of({}), kHeader); }

TEST(CsvPrinter, RunsRunIdAndMissingNumbers) {
  auto t = trial_of("a");
  t.problem.runs = 48;
  t.stored = StoredTrialRef{7, 3, "2026-01-01", "stored_key"};
  t.result.time.reset();
  t.result.rel_err = -1;
  const auto records = test::parse_csv(csv_of({t}));
  ASSERT_TRUE(records.has_value());
  const auto& row = (*records)[1];
  EXPECT_EQ(row[column("runs")], "48");
  EXPECT_EQ(row[column("run_id")], "3");
  EXPECT_EQ(row[column("problem")], "stored_key");
  for (const auto* empty : {"time_median_ms", "time_min_ms", "samples", "tflops", "rel_err"}) {
    EXPECT_EQ(row[column(empty)], "") << empty;
  }
}

TEST(CsvPrinter, HostileLabelAndDetailRoundTripWithTheFormulaGuard) {
  auto t = trial_of("=cmd|' /C calc'!A0");
  t.problem.label = "-resnet, \"block 1\"\r\nnext";
  t.result.detail = "@error: a,b\nsecond line \"quoted\"";
  const auto records = test::parse_csv(csv_of({t}));
  ASSERT_TRUE(records.has_value());
  ASSERT_EQ(records->size(), 2u);
  const auto& row = (*records)[1];
  EXPECT_EQ(row[column("label")], "'-resnet, \"block 1\"\r\nnext");
  EXPECT_EQ(row[column("detail")], "'@error: a,b\nsecond line \"quoted\"");
  EXPECT_EQ(row[column("candidate")], "'=cmd|' /C calc'!A0");
}

TEST(CsvPrinter, AFailedWriteNamesThePath) {
  CsvPrinter printer("/nonexistent-dir-for-csv/out.csv");
  printer.begin(ReportBegin{});
  try {
    printer.end(ReportEnd{});
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir-for-csv/out.csv"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace convprobe
