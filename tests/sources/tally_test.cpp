// The Tally every source fills, and the problems file written from it (read back by the problems parser).
#include "sources/tally.hpp"

#include <gtest/gtest.h>

#include "sources/problems_text.hpp"

namespace convprobe::sources {
namespace {

Problem problem(const char* descriptor) {
  Problem p;
  std::string err;
  EXPECT_TRUE(parse_problem(descriptor, &p, &err)) << err;
  return p;
}

TEST(Tally, CountsEachDistinctProblemOnceInTheOrderFirstSeen) {
  Tally t;
  t.add(problem("mb2ic3ih8oc4kh3"), "log:1");
  t.add(problem("mb2ic4ih8oc4kh1"), "log:5");
  t.add(problem("mb2ic3ih8oc4kh3n\"other\""), "log:9");  // the same problem: the label is not identity
  t.add(problem("mb2ic3ih8oc4kh3"), "log:12", 0);        // a Find call: seen, not run
  ASSERT_EQ(t.problems().size(), 2u);
  EXPECT_EQ(t.problems()[0].runs, 2);
  EXPECT_EQ(t.problems()[0].label, "log:1");
  EXPECT_EQ(t.problems()[1].label, "log:5");
  EXPECT_EQ(t.total_runs(), 3);
}

TEST(Tally, ASourcesOwnNameIsKept) {
  Tally t;
  t.add(problem("mb2ic3ih8oc4kh3n\"layer1.0.conv1\""), "model.onnx");
  EXPECT_EQ(t.problems()[0].label, "layer1.0.conv1");
}

TEST(Tally, MergeAddsUpRunsSkipsAndKeepsRejections) {
  Tally a;
  Tally b;
  a.add(problem("mb2ic3ih8oc4kh3"), "a:1", 3);
  b.add(problem("mb2ic3ih8oc4kh3"), "b:1", 4);
  b.skip("fusion (LogCmdFusion)", 2);
  b.reject("b:7", "dataType: CUDNN_DATA_INT8: expected float, half or bfloat16");
  a.merge(b);
  EXPECT_EQ(a.problems()[0].runs, 7);
  EXPECT_EQ(a.problems()[0].label, "a:1");
  EXPECT_EQ(a.skipped().at("fusion (LogCmdFusion)"), 2);
  ASSERT_EQ(a.rejections().size(), 1u);
}

TEST(ProblemsText, ReadsBackWithItsCountsAndLabels) {
  Tally t;
  t.add(problem("mb2ic3ih8oc4kh3"), "cudnn-api.log:10", 48);
  t.add(problem("bwdd_mb2ic4ih8oc4kh1"), "cudnn-api.log:99", 0);
  t.skip("batch norm (bnorm)", 5);
  t.reject("cudnn-api.log:120", "why\nwith a newline");
  const std::string text = problems_file_text(t, {"captured by a test", "second\nline"});
  std::vector<Problem> back;
  std::string err;
  ASSERT_TRUE(parse_problems_text(text, "back", &back, &err)) << err << "\n" << text;
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].runs, 48);
  EXPECT_EQ(back[0].label, "cudnn-api.log:10");
  EXPECT_EQ(back[1].runs, 0);
  EXPECT_EQ(back[1], t.problems()[1]);
  EXPECT_NE(text.find("# skipped 5x batch norm (bnorm)"), std::string::npos) << text;
  EXPECT_NE(text.find("# second line"), std::string::npos) << text;
}

TEST(ProblemsText, SummaryCountsProblemsRunsSkipsAndRejections) {
  Tally t;
  t.add(problem("mb2ic3ih8oc4kh3"), "x", 2);
  t.skip("fusion", 3);
  t.reject("x:1", "no");
  EXPECT_EQ(tally_summary(t),
            "1 distinct problem, 2 runs; 3 skipped (not a convolution convprobe probes); 1 not expressible");
}

}  // namespace
}  // namespace convprobe::sources
