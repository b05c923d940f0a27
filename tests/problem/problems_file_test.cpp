// Problems files: comments, blank lines, driver lines, and errors with FILE:LINE.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "convprobe/problem.hpp"

namespace convprobe {
namespace {

TEST(ProblemsFile, CommentsBlankLinesAndDriverLines) {
  const std::string text =
      "# gfx1010 boundary\n"
      "\n"
      "mb1ic3ih42oc64kh3ph1   # trailing comment\n"
      "   \t\n"
      "mb1ic3ih44oc64kh3ph1n\"has # inside\"\r\n"
      "conv -n 1 -c 3 -H 48 -W 48 -k 64 -y 3 -x 3 -p 1 -q 1 -F 2\n"
      "  # indented comment\n"
      "bwdw_ic4ih8oc4";  // no final newline
  std::vector<Problem> problems;
  std::string err;
  ASSERT_TRUE(parse_problems_text(text, "inline", &problems, &err)) << err;
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0].in[1], 42);
  EXPECT_EQ(problems[1].label, "has # inside");
  EXPECT_EQ(problems[2].dir, Direction::bwd_data);
  EXPECT_EQ(problems[2].in[1], 48);
  EXPECT_EQ(problems[3].dir, Direction::bwd_weights);
}

TEST(ProblemsFile, ErrorNamesOriginAndLine) {
  const std::string text = "# header\nmb1ic3ih42oc64kh3ph1\n\nmb1ic3ih42oc64kh3ph1xy2\n";
  std::vector<Problem> problems;
  std::string err;
  ASSERT_FALSE(parse_problems_text(text, "shapes.txt", &problems, &err));
  EXPECT_EQ(err.rfind("shapes.txt:4: unknown key \"xy\"", 0), 0u) << err;
}

TEST(ProblemsFile, ValidationErrorHasLine) {
  std::vector<Problem> problems;
  std::string err;
  ASSERT_FALSE(parse_problems_text("ic3ih8oc4\ng3ic64ih8oc64\n", "f", &problems, &err));
  EXPECT_NE(err.find("f:2: g=3 does not divide ic=64"), std::string::npos) << err;
}

// Regression (issue 13, fuzzing: shared/research/fuzz-findings.md F2): a file whose label ends in a carriage
// return read, but the file convprobe wrote back from it did not (the printed label looked like a driver
// path).
TEST(ProblemsFile, RewrittenFileReadsBack) {
  std::vector<Problem> problems;
  std::string err;
  ASSERT_TRUE(parse_problems_text("ic3ih2oc1n\"MIOpenDriver\r\"\nmb1ic3ih8oc4n\"MIOpenDriver conv -n 1\"\n",
                                  "f", &problems, &err))
      << err;
  std::string rewritten;
  for (const auto& p : problems) rewritten += to_string(p) + "\n";
  std::vector<Problem> back;
  ASSERT_TRUE(parse_problems_text(rewritten, "g", &back, &err)) << rewritten << ": " << err;
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0], problems[0]);
  EXPECT_EQ(back[1].label, "MIOpenDriver conv -n 1");
}

TEST(ProblemsFile, EmptyFileHasNoProblems) {
  std::vector<Problem> problems;
  std::string err;
  EXPECT_TRUE(parse_problems_text("# nothing\n\n", "f", &problems, &err)) << err;
  EXPECT_TRUE(problems.empty());
}

TEST(ProblemsFile, ReadsFromDisk) {
  char path[] = "/tmp/convprobe_problems_XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string text = "ic3ih8oc4\n# c\nbwdd_ic4ih8oc4kh3ph1\n";
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  std::vector<Problem> problems;
  std::string err;
  EXPECT_TRUE(parse_problems_file(path, &problems, &err)) << err;
  EXPECT_EQ(problems.size(), 2u);
  unlink(path);
}

TEST(ProblemsFile, UnreadableFileNamesPathAndReason) {
  std::vector<Problem> problems;
  std::string err;
  EXPECT_FALSE(parse_problems_file("/nonexistent/dir/problems.txt", &problems, &err));
  EXPECT_NE(err.find("'/nonexistent/dir/problems.txt'"), std::string::npos) << err;
  EXPECT_NE(err.find("No such file or directory"), std::string::npos) << err;
  err.clear();
  EXPECT_FALSE(parse_problems_file("/tmp", &problems, &err));
  EXPECT_NE(err.find("Is a directory"), std::string::npos) << err;
}

}  // namespace
}  // namespace convprobe

namespace convprobe {
namespace {

TEST(ProblemsFileRuns, ACountPrefixSetsRunsAndLeavesIdentityAlone) {
  std::vector<Problem> problems;
  std::string err;
  ASSERT_TRUE(parse_problems_text("48x mb2ic3ih8oc4kh3n\"conv1\"\nmb2ic3ih8oc4kh3\n", "t.txt", &problems, &err))
      << err;
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].runs, 48);
  EXPECT_EQ(problems[0].label, "conv1");
  EXPECT_EQ(problems[1].runs, 0);
  EXPECT_EQ(problems[0], problems[1]);
  EXPECT_EQ(key(problems[0]), key(problems[1]));
}

TEST(ProblemsFileRuns, ABadCountNamesTheLineAndWhatWasExpected) {
  std::vector<Problem> problems;
  std::string err;
  for (const char* bad : {"0x mb2ic3ih8oc4kh3", "48 mb2ic3ih8oc4kh3", "48xmb2ic3ih8oc4kh3", "48x",
                          "99999999999999999999x mb2ic3ih8oc4kh3"}) {
    EXPECT_FALSE(parse_problems_text(std::string("# ok\n") + bad + "\n", "t.txt", &problems, &err)) << bad;
    EXPECT_NE(err.find("t.txt:2: run count"), std::string::npos) << err;
  }
}

}  // namespace
}  // namespace convprobe
