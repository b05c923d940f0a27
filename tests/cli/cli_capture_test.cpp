// `convprobe capture -- COMMAND`: stand-in programs write what MIOpen and cuDNN would (MIOpen's command lines
// on stderr in the exact text MIOpen's own test pins; a cuDNN record copied from a real cuDNN 9.19 log into
// $CUDNN_LOGDEST_DBG) and then end, crash, hang or loop; capture must write what they logged, say how they
// ended, stop them when asked, and never write a half or empty problems file.
#include <gtest/gtest.h>

#include <fstream>

#include "convprobe/problem.hpp"
#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

// develop test/gtest/log.cpp pins this text (research: sources-steering-fleets.md §1a).
constexpr const char* kMiopenLine =
    "MIOpen(HIP): Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 128 -c 3 -H 32 -W 32 -k 64 -y 3 -x "
    "3 "
    "-p 1 -q 1 -u 1 -v 1 -l 1 -j 1 -m conv -g 1 -F 1 -t 1";
constexpr const char* kMiopenBwdLine =
    "MIOpen: Command [LogCmdConvolution] ./bin/MIOpenDriver conv -n 128 -c 3 -H 32 -W 32 -k 64 -y 3 -x 3 "
    "-p 1 -q 1 -u 1 -v 1 -l 1 -j 1 -m conv -g 1 -F 4 -t 1";

std::string quoted(const std::string& s) { return "'" + s + "'"; }

/// A shell program printing `line` to stderr `times` times, then running `then`.
std::string program(const std::string& line, int times, const std::string& then = "") {
  return "sh -c " + quoted("i=0; while [ $i -lt " + std::to_string(times) + " ]; do echo \"" + line +
                           "\" >&2; i=$((i+1)); done; " + then);
}

std::vector<Problem> read_problems(const std::filesystem::path& file) {
  std::vector<Problem> problems;
  std::string err;
  EXPECT_TRUE(parse_problems_file(file.string(), &problems, &err)) << err;
  return problems;
}

Problem expected(const char* descriptor) {
  Problem p;
  std::string err;
  EXPECT_TRUE(parse_problem(descriptor, &p, &err)) << err;
  return p;
}

TEST(CliCapture, MiopenLinesOnStderrBecomeProblemsWithCountsAndStayVisible) {
  const auto dir = temp_dir("capture-miopen");
  const auto out = dir / "p.txt";
  const auto r = run_convprobe("capture -q -o " + out.string() + " -- " +
                               program(kMiopenLine, 3, "echo \"" + std::string(kMiopenBwdLine) + "\" >&2"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(kMiopenLine), std::string::npos) << "the program's stderr is passed on";
  EXPECT_NE(r.err.find("exit status 0"), std::string::npos) << r.err;
  const auto problems = read_problems(out);
  ASSERT_EQ(problems.size(), 2u) << read_file(out);
  EXPECT_EQ(problems[0], expected("mb128ic3ih32oc64kh3ph1"));
  EXPECT_EQ(problems[0].runs, 3);
  EXPECT_EQ(problems[1], expected("bwdw_mb128ic3ih32oc64kh3ph1"));
  EXPECT_EQ(problems[1].runs, 1);
}

TEST(CliCapture, CudnnLogWrittenToThePrivateFileIsRead) {
  const auto dir = temp_dir("capture-cudnn");
  const auto record = std::string(CONVPROBE_SOURCE_DIR) + "/tests/cli/data/cudnn-legacy-forward-record.txt";
  const auto out = dir / "p.txt";
  const auto r =
      run_convprobe("capture -q --keep-logs " + (dir / "logs").string() + " -o " + out.string() +
                    " -- sh -c " + quoted("cat " + record + " " + record + " > \"$CUDNN_LOGDEST_DBG\""));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto problems = read_problems(out);
  ASSERT_EQ(problems.size(), 1u) << read_file(out);
  EXPECT_EQ(problems[0], expected("mb2ic3ih20oc8kh3sh2ph1"));
  EXPECT_EQ(problems[0].runs, 2);
  EXPECT_TRUE(std::filesystem::exists(dir / "logs" / "cudnn-api.log")) << "--keep-logs keeps the raw log";
  EXPECT_NE(problems[0].label.find("cudnn-api.log:1"), std::string::npos) << problems[0].label;
}

TEST(CliCapture, ACrashingProgramStillYieldsWhatItLoggedAndTheCrashIsReported) {
  const auto dir = temp_dir("capture-crash");
  const auto out = dir / "p.txt";
  const auto r =
      run_convprobe("capture -q -o " + out.string() + " -- " + program(kMiopenLine, 2, "kill -SEGV $$"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("SIGSEGV"), std::string::npos) << r.err;
  EXPECT_EQ(read_problems(out).at(0).runs, 2);
}

TEST(CliCapture, AHangingProgramIsStoppedByMaxSeconds) {
  const auto dir = temp_dir("capture-hang");
  const auto out = dir / "p.txt";
  const auto r = run_convprobe("capture -q --max-seconds 1 --json " + (dir / "c.json").string() + " -o " +
                               out.string() + " -- " + program(kMiopenLine, 1, "sleep 600"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("--max-seconds 1 reached"), std::string::npos) << r.err;
  EXPECT_EQ(read_problems(out).size(), 1u);
  const std::string json = read_file(dir / "c.json");
  EXPECT_NE(json.find("\"stopped_by\": \"--max-seconds 1 reached\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"runs\": 1"), std::string::npos) << json;
}

TEST(CliCapture, StepsStopsALoopingProgramOnceEveryShapeRanThatOften) {
  const auto dir = temp_dir("capture-steps");
  const auto out = dir / "p.txt";
  const std::string loop = "sh -c " + quoted(std::string("while true; do echo \"") + kMiopenLine +
                                             "\" >&2; echo \"" + kMiopenBwdLine + "\" >&2; sleep 0.05; done");
  const auto r = run_convprobe("capture -q --steps 3 --max-seconds 60 -o " + out.string() + " -- " + loop);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("--steps 3 reached"), std::string::npos) << r.err;
  const auto problems = read_problems(out);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_GE(problems[0].runs, 3);
  EXPECT_GE(problems[1].runs, 3);
}

TEST(CliCapture, WithoutOutputTheProblemsAloneGoToStdout) {
  const auto r = run_convprobe("capture -q -- " + program(kMiopenLine, 1, "echo the-programs-own-stdout"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The word is in the command line too (quoted in the file's header and the summary on stderr); as a line of
  // its own, what the program printed, it is only on stderr.
  const auto own_line = [](const std::string& text) {
    return text.rfind("the-programs-own-stdout\n", 0) == 0 ||
           text.find("\nthe-programs-own-stdout\n") != std::string::npos;
  };
  EXPECT_FALSE(own_line(r.out)) << r.out;
  EXPECT_TRUE(own_line(r.err)) << r.err;
  std::vector<Problem> problems;
  std::string err;
  ASSERT_TRUE(parse_problems_text(r.out, "stdout", &problems, &err)) << err << r.out;
  EXPECT_EQ(problems.size(), 1u);
}

TEST(CliCapture, NothingLoggedWritesNothingAndExits1) {
  const auto dir = temp_dir("capture-nothing");
  const auto out = dir / "p.txt";
  std::ofstream(out) << "mb1ic3ih8oc8kh3\n";
  const auto r = run_convprobe("capture -q -o " + out.string() + " -- true");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("no convolution was logged"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(out), "mb1ic3ih8oc8kh3\n") << "an existing file is left alone";
}

TEST(CliCapture, BadUsageExits2) {
  for (const std::string& args :
       {std::string("capture -- /nonexistent/program"), std::string("capture"),
        std::string("capture --max-seconds -1 -- true"), std::string("capture --torch m:f -- true"),
        std::string("capture --torch torchvision.models:resnet18"), std::string("capture --train -- true")}) {
    const auto r = run_convprobe(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find("error"), std::string::npos) << args << "\n" << r.err;
  }
}

}  // namespace
}  // namespace convprobe::test
