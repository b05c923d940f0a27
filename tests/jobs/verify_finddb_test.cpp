// The judgement of `verify` with a MIOpen find-db in place (jobs/verify_finddb.hpp), without a worker.
#include "jobs/verify_finddb.hpp"

#include <gtest/gtest.h>

namespace convprobe {
namespace {

VerifiedCandidate framework(const std::string& mode, Verdict v, std::vector<std::string> picked,
                            const std::string& detail = "") {
  VerifiedCandidate c;
  c.id = "miopen.framework." + mode;
  c.after.verdict = v;
  c.after.detail = detail;
  c.after.picked = std::move(picked);
  return c;
}

FindDbExpectation record_of(std::vector<std::string> solvers) {
  return {"3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-F", "", std::move(solvers)};
}

TEST(VerifyFindDb, SolverNameIsWhatFollowsTheId) {
  EXPECT_EQ(solver_name_of("miopen.91.GemmFwdRest"), "GemmFwdRest");
  EXPECT_EQ(solver_name_of("miopen.84.ConvBinWinogradRxSf2x3g1"), "ConvBinWinogradRxSf2x3g1");
  EXPECT_EQ(solver_name_of("GemmFwdRest"), "GemmFwdRest");
}

TEST(VerifyFindDb, BothModesPickingTheRecordsSolverPass) {
  const auto p = judge_finddb_problem("mb1ic3ih44oc64kh3ph1", record_of({"ConvOclDirectFwd"}),
                                      {{"miopen.91.GemmFwdRest", Verdict::hang}},
                                      {framework("immediate", Verdict::pass, {"miopen.11.ConvOclDirectFwd"}),
                                       framework("find", Verdict::pass, {"miopen.11.ConvOclDirectFwd"})});
  EXPECT_TRUE(p.ok()) << p.issues.front();
  EXPECT_EQ(p.written, "ConvOclDirectFwd");
  EXPECT_EQ(p.after_pass, 2u);
  EXPECT_EQ(p.notes.size(), 2u);
}

TEST(VerifyFindDb, AnotherPickOrAnOfferOutsideTheRecordFails) {
  const auto p = judge_finddb_problem(
      "mb1ic3ih44oc64kh3ph1", record_of({"ConvOclDirectFwd"}), {},
      {framework("immediate", Verdict::pass, {"miopen.53.ConvBinWinograd3x3U", "miopen.11.ConvOclDirectFwd"}),
       framework("find", Verdict::pass, {"miopen.11.ConvOclDirectFwd", "miopen.91.GemmFwdRest"})});
  ASSERT_EQ(p.issues.size(), 3u);
  EXPECT_EQ(p.issues[0], "immediate mode picked ConvBinWinograd3x3U, the record names ConvOclDirectFwd");
  EXPECT_NE(p.issues[1].find("did not answer from the record"), std::string::npos) << p.issues[1];
  EXPECT_NE(p.issues[2].find("find mode offered GemmFwdRest"), std::string::npos) << p.issues[2];
}

TEST(VerifyFindDb, AHangingPickFailsWithItsVerdict) {
  const auto p = judge_finddb_problem("mb1ic3ih64oc64kh3ph1", record_of({"GemmFwdRest"}), {},
                                      {framework("immediate", Verdict::hang, {}, "no progress")});
  ASSERT_EQ(p.issues.size(), 1u);
  EXPECT_EQ(p.issues[0], "immediate mode: HANG no progress");
}

TEST(VerifyFindDb, AMissingRecordFailsAndAProblemWithoutKeyIsANote) {
  const auto missing = judge_finddb_problem("mb1ic3ih48oc64kh3ph1", record_of({}), {}, {});
  ASSERT_EQ(missing.issues.size(), 1u);
  EXPECT_NE(missing.issues[0].find("no record for 3-44-44"), std::string::npos) << missing.issues[0];
  const auto no_key = judge_finddb_problem("asym", FindDbExpectation{"", "asymmetric padding", {}}, {}, {});
  EXPECT_TRUE(no_key.ok());
  EXPECT_NE(no_key.notes.at(0).find("asymmetric padding"), std::string::npos);
}

TEST(VerifyFindDb, NoFrameworkCandidateIsAnIssue) {
  const auto p = judge_finddb_problem("mb1ic3ih44oc64kh3ph1", record_of({"ConvOclDirectFwd"}), {}, {});
  ASSERT_EQ(p.issues.size(), 1u);
  EXPECT_NE(p.issues[0].find("no framework candidate"), std::string::npos);
}

}  // namespace
}  // namespace convprobe
