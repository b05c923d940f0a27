// `--csv FILE|-` through the binary (docs/csv.md): the file parses back as RFC 4180 with the documented
// header and one row per trial (the same trials as the JSON document of the same sweep); '-' puts the CSV
// alone on stdout; two documents on stdout are a usage error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/csv_reader.hpp"
#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

const CsvRecord kHeader{"run_id",      "backend",   "device", "problem", "label",
                        "runs",        "direction", "type",   "layout",  "candidate",
                        "family",      "verdict",   "detail", "phase",   "time_median_ms",
                        "time_min_ms", "samples",   "tflops", "rel_err", "repro"};

TEST(CliCsv, SweepWritesOneRowPerTrialBesideTheTable) {
  const auto dir = temp_dir("cli-csv-sweep");
  const auto csv_path = (dir / "trials.csv").string();
  const auto json_path = (dir / "trials.json").string();
  const auto r =
      run_convprobe("sweep --preset gfx1010-quick -b reference --no-db --repeats 1 --warmup 0 --csv " +
                    csv_path + " --json " + json_path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("verdict"), std::string::npos) << "the table still goes to stdout";
  const auto records = parse_csv(read_file(csv_path));
  ASSERT_TRUE(records.has_value()) << "not RFC 4180 CSV";
  ASSERT_FALSE(records->empty());
  EXPECT_EQ(records->front(), kHeader);
  const auto doc = nlohmann::json::parse(read_file(json_path));
  const auto& trials = doc["trials"];
  ASSERT_GT(trials.size(), 0u);
  ASSERT_EQ(records->size(), trials.size() + 1);
  for (size_t i = 0; i < trials.size(); ++i) {
    const auto& row = (*records)[i + 1];
    ASSERT_EQ(row.size(), kHeader.size());
    EXPECT_EQ(row[1], "reference");
    EXPECT_EQ(row[3], trials[i]["problem"]);
    EXPECT_EQ(row[9], trials[i]["candidate"]);
    EXPECT_EQ(row[11], trials[i]["verdict"]);
    EXPECT_EQ(row[19], trials[i]["repro"]);
  }
}

TEST(CliCsv, DashWritesOnlyTheCsvToStdout) {
  const auto r = run_convprobe("run mb1ic3ih8oc4kh3ph1 -b reference --no-db --repeats 1 --warmup 0 --csv -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto records = parse_csv(r.out);
  ASSERT_TRUE(records.has_value()) << r.out;
  ASSERT_GE(records->size(), 2u) << r.out;
  EXPECT_EQ(records->front(), kHeader);
  for (size_t i = 1; i < records->size(); ++i) EXPECT_EQ((*records)[i][6], "fwd");
}

TEST(CliCsv, TwoDocumentsOnStdoutIsAUsageError) {
  const auto r = run_convprobe("run mb1ic3ih8oc4kh3ph1 -b reference --no-db --csv - --json -");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find("--csv"), std::string::npos) << r.err;
}

TEST(CliCsv, AnUnwritablePathIsAnErrorNamingIt) {
  const auto r = run_convprobe(
      "run mb1ic3ih8oc4kh3ph1 -b reference --no-db --repeats 1 --warmup 0 --csv "
      "/nonexistent-dir-for-csv/t.csv");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("/nonexistent-dir-for-csv/t.csv"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace convprobe::test
