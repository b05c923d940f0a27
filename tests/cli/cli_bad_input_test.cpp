// Bad input gets one clear message naming the field, the value and what was expected; exit 2; no crash.
#include <gtest/gtest.h>

#include <fstream>

#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

void expect_usage_error(const std::string& args, const std::vector<std::string>& must_contain) {
  SCOPED_TRACE(args);
  auto r = run_convprobe(args + " --no-db");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  for (const auto& s : must_contain)
    EXPECT_NE(r.err.find(s), std::string::npos) << "missing '" << s << "' in: " << r.err;
  EXPECT_EQ(r.err.find("terminate"), std::string::npos) << r.err;
}

TEST(CliBadInput, MalformedDescriptorNamesKeyAndInput) {
  expect_usage_error("run mb1xy3ih32oc8kh3 -b reference", {"xy", "mb1xy3ih32oc8kh3"});
}

TEST(CliBadInput, ZeroSizeNamesField) {
  expect_usage_error("run mb1ic0ih32oc8kh3 -b reference", {"ic", "0"});
}

TEST(CliBadInput, NegativeSizeIsRejected) { expect_usage_error("run mb1ic3ih-4oc8kh3 -b reference", {"ih"}); }

TEST(CliBadInput, NonPositiveOutputSize) {
  expect_usage_error("run mb1ic3ih4oc8kh7 -b reference", {"output"});
}

TEST(CliBadInput, GroupsNotDividingChannels) {
  expect_usage_error("run g3mb1ic64ih8oc64kh3ph1 -b reference", {"g=3", "64"});
}

TEST(CliBadInput, TensorsTooLargeForMemory) {
  expect_usage_error("run mb100000ic4096ih4096oc4096kh3ph1 -b reference", {"bytes"});
}

TEST(CliBadInput, UnknownPresetListsKnownOnes) {
  expect_usage_error("sweep --preset nope -b reference", {"nope", "gfx1010"});
}

TEST(CliBadInput, UnknownBackend) { expect_usage_error("run mb1ic3ih8oc8kh3 -b cuda", {"cuda", "onednn"}); }

TEST(CliBadInput, UnreadableProblemsFile) {
  expect_usage_error("sweep --problems /nonexistent/problems.txt -b reference",
                     {"/nonexistent/problems.txt"});
}

TEST(CliBadInput, ProblemsFileErrorHasLineNumber) {
  auto dir = temp_dir("badfile");
  const auto file = dir / "problems.txt";
  std::ofstream(file) << "# a comment\nmb1ic3ih8oc8kh3ph1\n\nmb1ic3ih8oc8kh3zz9\n";
  expect_usage_error("sweep --problems " + file.string() + " -b reference", {"problems.txt:4", "zz"});
}

TEST(CliBadInput, BadDevicesList) {
  expect_usage_error("run mb1ic3ih8oc8kh3 -b reference --devices 0,x", {"--devices", "x"});
}

TEST(CliBadInput, BadMath) {
  expect_usage_error("run mb1ic3ih8oc8kh3 -b reference --math fast", {"--math", "fast"});
}

TEST(CliBadInput, NegativeTimeCap) {
  expect_usage_error("run mb1ic3ih8oc8kh3 -b reference --max-time-ms -5", {"--max-time-ms", "-5"});
  expect_usage_error(
      "bisect -b fault --candidate 'fault.hang@hw>42' --from mb1ic3ih32oc64kh3ph1 --axis hw "
      "--to 64 --max-time-ms -1",
      {"--max-time-ms", "-1"});
}

TEST(CliBadInput, SelftestBackendWithoutFaultCandidates) {
  const auto r = run_convprobe("selftest -b onednn");  // selftest has no --db: not expect_usage_error
  EXPECT_EQ(r.exit_code, 2) << r.err;
  for (const char* s : {"--backend", "'onednn'", "'fault'", "'cudnn'"})
    EXPECT_NE(r.err.find(s), std::string::npos) << "missing '" << s << "' in: " << r.err;
}

TEST(CliBadInput, UnknownOptionIsUsageError) {
  auto r = run_convprobe("run mb1ic3ih8oc8kh3 -b reference --frobnicate");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(CliBadInput, NoSubcommandIsUsageError) {
  auto r = run_convprobe("");
  EXPECT_EQ(r.exit_code, 2);
}

TEST(CliHelp, HelpTeachesExitCodes) {
  auto r = run_convprobe("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Exit codes"), std::string::npos);
  EXPECT_NE(r.out.find("selftest"), std::string::npos);
}

}  // namespace
}  // namespace convprobe::test
