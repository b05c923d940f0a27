// miopen-finddb's decision (policy/emit_miopen_finddb.hpp): which problems get a record, naming what, in
// which format, and why the others get none.
#include "policy/emit_miopen_finddb.hpp"

#include <gtest/gtest.h>

#include "policy_fixtures.hpp"

namespace convprobe {
namespace {

std::map<std::string, std::string> solver(int id, const std::string& name) {
  return {{"solver_id", std::to_string(id)}, {"solver_name", name}};
}

Policy policy_of(const std::string& version) {
  Policy p;
  p.backend = "miopen";
  p.backend_version = version;
  return p;
}

TEST(MiopenFindDb, GemmStaysWhereItPassedAndTheHangingShapeGetsTheNextSolver) {
  const auto trials =
      test::make_trials("miopen", {{"mb1ic3ih32oc64kh3ph1", "miopen.91.GemmFwdRest", "gemm", Verdict::pass,
                                    1.0, "", solver(91, "GemmFwdRest")},
                                   {"mb1ic3ih32oc64kh3ph1", "miopen.11.ConvOclDirectFwd", "direct",
                                    Verdict::pass, 2.0, "", solver(11, "ConvOclDirectFwd")},
                                   {"mb1ic3ih44oc64kh3ph1", "miopen.91.GemmFwdRest", "gemm", Verdict::hang, 0,
                                    "", solver(91, "GemmFwdRest")},
                                   {"mb1ic3ih44oc64kh3ph1", "miopen.11.ConvOclDirectFwd", "direct",
                                    Verdict::pass, 2.5, "", solver(11, "ConvOclDirectFwd")},
                                   {"bwdw_mb1ic3ih32oc64kh3ph1", "miopen.91.GemmWrwUniversal", "gemm",
                                    Verdict::pass, 0.5, "", solver(92, "GemmWrwUniversal")}});
  const FindDbDecision d = decide_miopen_finddb(policy_of("MIOpen 2.17.0"), trials);
  EXPECT_EQ(d.format, miopen::FindDbFormat::v1_0);
  ASSERT_EQ(d.records.size(), 3u);
  EXPECT_TRUE(d.skipped.empty());
  EXPECT_EQ(d.records[0].problem, "bwdw_mb1ic3ih32oc64kh3ph1");
  EXPECT_EQ(d.records[0].record.key, "64-32-32-3x3-3-32-32-1-1x1-1x1-1x1-0-NCHW-FP32-W");
  EXPECT_EQ(d.records[0].record.entry.algorithm, "miopenConvolutionBwdWeightsAlgoGEMM");
  EXPECT_EQ(d.records[1].record.entry.solver, "GemmFwdRest");
  EXPECT_EQ(d.records[2].record.entry.solver, "ConvOclDirectFwd");
  EXPECT_EQ(d.records[2].candidate, "miopen.11.ConvOclDirectFwd");
}

TEST(MiopenFindDb, ProblemsWithoutARecordSayWhy) {
  const auto trials = test::make_trials(
      "miopen",
      {// asymmetric padding: no key (a stored PASS like this would come from a backend fix to come)
       {"mb1ic3ih44oc64kh3ph1oh45", "miopen.91.GemmFwdRest", "gemm", Verdict::pass, 1.0, "",
        solver(91, "GemmFwdRest")},
       // the fastest cannot be named (no solver_name); the next one is
       {"mb1ic8ih8oc8kh3ph1", "miopen.x", "direct", Verdict::pass, 0.1},
       {"mb1ic8ih8oc8kh3ph1", "miopen.85.ConvDirectNaiveConvFwd", "direct", Verdict::pass, 0.9, "",
        solver(85, "ConvDirectNaiveConvFwd")},
       // FFT has no backward-weights algorithm
       {"bwdw_mb1ic8ih8oc8kh3ph1", "miopen.34.fft", "fft", Verdict::pass, 0.2, "", solver(34, "fft")},
       // 1-D and its 2-D twin with H = 1 are one MIOpen key
       {"mb1ic4iw100oc8kw5pw2", "miopen.85.ConvDirectNaiveConvFwd", "direct", Verdict::pass, 1.0, "",
        solver(85, "ConvDirectNaiveConvFwd")},
       {"mb1ic4ih1iw100oc8kh1kw5pw2", "miopen.85.ConvDirectNaiveConvFwd", "direct", Verdict::pass, 1.0, "",
        solver(85, "ConvDirectNaiveConvFwd")}});
  const FindDbDecision d = decide_miopen_finddb(policy_of("MIOpen 3.5.0"), trials);
  EXPECT_EQ(d.format, miopen::FindDbFormat::v2_0);
  std::map<std::string, std::string> why;
  for (const auto& s : d.skipped) why[s.problem] = s.reason;
  ASSERT_EQ(d.records.size(), 2u) << testing::PrintToString(why);
  EXPECT_EQ(d.records[1].record.entry.solver, "ConvDirectNaiveConvFwd");
  EXPECT_NE(why["mb1ic3ih44oc64kh3ph1oh45"].find("asymmetric padding"), std::string::npos);
  EXPECT_NE(why["bwdw_mb1ic8ih8oc8kh3ph1"].find("family 'fft' has no MIOpen algorithm for bwd_weights"),
            std::string::npos)
      << why["bwdw_mb1ic8ih8oc8kh3ph1"];
  ASSERT_EQ(why.size(), 3u) << testing::PrintToString(why);
  bool twin = false;
  for (const auto& [problem, reason] : why) twin |= reason.find("MIOpen sees it as") != std::string::npos;
  EXPECT_TRUE(twin) << testing::PrintToString(why);
}

TEST(MiopenFindDb, NeedsTheMiopenVersionOfTheRuns) {
  for (const char* bad : {"", "MIOpen (version unknown)", "9.19"}) {
    try {
      (void)decide_miopen_finddb(policy_of(bad), {});
      ADD_FAILURE() << bad;
    } catch (const EmitInputError& e) {
      EXPECT_NE(std::string(e.what()).find("needs 'MIOpen <major>.<minor>.<patch>'"), std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace convprobe
