// How `convprobe compare` reads its command line (issue 17): one grammar for a run (RUN_ID, FILE,
// FILE:RUN_ID), a threshold with its '%', and errors naming the side, the value and what was expected.
#include "jobs/compare_input.hpp"

#include <gtest/gtest.h>

#include "jobs/usage_error.hpp"

namespace convprobe {
namespace {

::testing::AssertionResult usage_error_says(const std::function<void()>& call, const std::string& part) {
  try {
    call();
  } catch (const UsageError& e) {
    if (std::string(e.what()).find(part) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "'" << e.what() << "' does not contain '" << part << "'";
  }
  return ::testing::AssertionFailure() << "no UsageError";
}

TEST(CPU_CompareInput, RunOperands) {
  RunOperand op = parse_run_operand("12", "A");
  EXPECT_TRUE(op.db.empty());
  EXPECT_EQ(op.run_id, 12);
  op = parse_run_operand("before.db", "A");
  EXPECT_EQ(op.db, "before.db");
  EXPECT_FALSE(op.run_id);
  op = parse_run_operand("/data/fleet.db:7", "B");
  EXPECT_EQ(op.db, "/data/fleet.db");
  EXPECT_EQ(op.run_id, 7);
  op = parse_run_operand("./12", "B");  // a file named with digits
  EXPECT_EQ(op.db, "./12");
  op = parse_run_operand("results:v2.db", "B");  // a ':' not followed by a run id is part of the name
  EXPECT_EQ(op.db, "results:v2.db");
  EXPECT_FALSE(op.run_id);
  EXPECT_EQ(op.text, "results:v2.db");
}

TEST(CPU_CompareInput, BadRunOperandsNameTheSideAndTheGrammar) {
  EXPECT_TRUE(usage_error_says([] { (void)parse_run_operand("", "A"); }, "A is empty; expected RUN_ID"));
  EXPECT_TRUE(
      usage_error_says([] { (void)parse_run_operand("a.db:", "B"); },
                       "B 'a.db:': no run id after ':'; expected RUN_ID (a run of the --db database), "
                       "FILE (its latest run) or FILE:RUN_ID"));
  EXPECT_TRUE(usage_error_says([] { (void)parse_run_operand(":3", "A"); }, "A ':3': no file before ':'"));
  EXPECT_TRUE(usage_error_says([] { (void)parse_run_operand("99999999999999999999", "A"); },
                               "run id '99999999999999999999' is out of range"));
}

TEST(CPU_CompareInput, ThresholdIsAPercentage) {
  EXPECT_DOUBLE_EQ(parse_threshold("5%"), 0.05);
  EXPECT_DOUBLE_EQ(parse_threshold("2.5%"), 0.025);
  EXPECT_DOUBLE_EQ(parse_threshold("0%"), 0);
  for (const char* bad : {"0.05", "5", "%", "-1%", "5 %", "x%", "2000%"}) {
    SCOPED_TRACE(bad);
    EXPECT_TRUE(usage_error_says([bad] { (void)parse_threshold(bad); },
                                 "expected a percentage from 0% to 1000%, e.g. 5% or 2.5%"));
  }
  EXPECT_TRUE(
      usage_error_says([] { (void)parse_threshold("0.05"); }, "--threshold '0.05' is not a percentage"));
}

TEST(CPU_CompareInput, AlphaIsBetweenZeroAndOne) {
  EXPECT_NO_THROW(check_alpha(0.05));
  for (double bad : {0.0, 1.0, -0.1, 5.0}) {
    EXPECT_TRUE(
        usage_error_says([bad] { check_alpha(bad); }, "expected a significance level between 0 and 1"));
  }
}

}  // namespace
}  // namespace convprobe
