// `convprobe import FILE` and `sweep --model FILE`: the format is recognized from the content, counts
// survive, and bad input (garbage, an empty file, a convolution convprobe cannot express) is exit 2 with the
// file named and nothing written.
#include <gtest/gtest.h>

#include <fstream>

#include "convprobe/problem.hpp"
#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

const std::string kRecord =
    std::string(CONVPROBE_SOURCE_DIR) + "/tests/cli/data/cudnn-legacy-forward-record.txt";

std::filesystem::path twice_the_record(const std::filesystem::path& dir) {
  const auto log = dir / "cudnn.log";
  const std::string record = read_file(kRecord);
  std::ofstream(log) << record << record;
  return log;
}

TEST(CliImport, ACudnnLogIsRecognizedAndCounted) {
  const auto dir = temp_dir("import-cudnn");
  const auto r =
      run_convprobe("import " + twice_the_record(dir).string() + " --json " + (dir / "i.json").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<Problem> problems;
  std::string err;
  ASSERT_TRUE(parse_problems_text(r.out, "out", &problems, &err)) << err << r.out;
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].runs, 2);
  EXPECT_NE(r.out.find("(cudnn-log)"), std::string::npos) << r.out;
  EXPECT_NE(read_file(dir / "i.json").find("\"runs\": 2"), std::string::npos);
}

TEST(CliImport, AProblemsFileRoundTripsWithItsCounts) {
  const auto dir = temp_dir("import-problems");
  std::ofstream(dir / "in.txt") << "# mine\n12x mb2ic3ih8oc4kh3n\"conv1\"\nmb2ic3ih8oc4kh3\n";
  const auto r = run_convprobe("import " + (dir / "in.txt").string() + " -o " + (dir / "out.txt").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string out = read_file(dir / "out.txt");
  EXPECT_NE(out.find("12x ic3ih8oc4kh3n\"conv1\""), std::string::npos) << out;  // mb2 is the default
}

TEST(CliImport, GarbageEmptyAndUnknownFormatsAreExit2NamingTheFile) {
  const auto dir = temp_dir("import-bad");
  std::ofstream(dir / "garbage.bin", std::ios::binary) << std::string("\x01\x00\xff\xfe junk", 9);
  std::ofstream(dir / "empty.txt");
  struct Case {
    std::string args;
    std::string must_say;
  };
  for (const Case& c :
       {Case{(dir / "garbage.bin").string(), "not in a format convprobe reads"},
        Case{(dir / "empty.txt").string(), "empty"},
        Case{"/nonexistent/model.onnx", "/nonexistent/model.onnx"},
        Case{kRecord + " --format nope", "--format nope"}, Case{kRecord + " --batch 0", "--batch 0"},
        Case{kRecord + " --dim seq", "--dim seq"}}) {
    const auto r = run_convprobe("import " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.must_say), std::string::npos) << c.args << "\n" << r.err;
  }
}

TEST(CliImport, AnInexpressibleConvolutionFailsWithoutWritingUnlessSkipped) {
  const auto dir = temp_dir("import-reject");
  const auto log = dir / "stderr.log";
  std::ofstream(log)
      << "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 2 -c 3 -H 8 -W 8 -k 4 "
         "-y 3 -x 3 -p 1 -q 1 -u 1 -v 1 -l 1 -j 1 -m conv -g 1 -F 1 -t 1\n"
         "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 2 -c 3 -H 8 -W 8 -k 4 "
         "-y 3 -x 3 -p 1 -q 1 -u 1 -v 1 -l 1 -j 1 -m conv -g 1 -F 9 -t 1\n";
  const auto out = dir / "out.txt";
  std::ofstream(out) << "precious\n";
  auto r = run_convprobe("import " + log.string() + " -o " + out.string());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("stderr.log:2"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(out), "precious\n");
  r = run_convprobe("import --skip-bad " + log.string() + " -o " + out.string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(out).find("# not expressible: "), std::string::npos) << read_file(out);
}

TEST(CliImport, SweepModelShowsHowOftenEachProblemRan) {
  const auto dir = temp_dir("import-sweep");
  const auto r = run_convprobe("sweep --model " + twice_the_record(dir).string() + " -b reference --no-db");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("ran 2x"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace convprobe::test
