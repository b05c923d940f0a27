// miopen-env's decide step as data (which switches, why, in which order) and its render step on its own.
#include "policy/emit_miopen_env.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "emitter_fixtures.hpp"

namespace convprobe {
namespace {

std::map<std::string, std::string> solver(int id, const std::string& name) {
  return {{"solver_id", std::to_string(id)}, {"solver_name", name}};
}

MiopenDecision decide(const std::vector<StoredTrial>& trials, double block_slower = 0) {
  PolicyOptions options;
  options.block_slower = block_slower;
  return decide_miopen_env(derive_policy("miopen", trials, options), trials);
}

std::vector<std::string> assignments(const MiopenDecision& d) {
  std::vector<std::string> out;
  for (const auto& s : d.switches) out.push_back(s.variable + "=" + s.value);
  return out;
}

bool has_note(const MiopenDecision& d, const std::string& start) {
  for (const auto& n : d.notes) {
    if (n.rfind(start, 0) == 0) return true;
  }
  return false;
}

TEST(DecideMiopenEnv, Gfx1010FamilySwitchesSolverSwitchesAndKeptOnFamilies) {
  const MiopenDecision d = decide(test::miopen_trials());
  EXPECT_EQ(assignments(d),
            (std::vector<std::string>{"MIOPEN_DEBUG_CONV_FFT=0", "MIOPEN_DEBUG_CONV_GEMM=0",
                                      "MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_FWD=0",
                                      "MIOPEN_DEBUG_CONV_DIRECT=1", "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM=1"}));
  const MiopenSwitch& gemm = d.switches[1];
  ASSERT_EQ(gemm.disables.size(), 1u);
  EXPECT_EQ(gemm.disables[0].subject, "miopen.91.GemmFwdRest");
  ASSERT_EQ(gemm.disables[0].evidence.size(), 1u);
  EXPECT_EQ(gemm.disables[0].evidence[0].verdict, Verdict::hang);
  EXPECT_FALSE(gemm.kept_on);
  const MiopenSwitch& direct = d.switches[3];
  EXPECT_TRUE(direct.disables.empty());
  ASSERT_TRUE(direct.kept_on);
  EXPECT_EQ(direct.kept_on->passes, 2u);
  EXPECT_EQ(direct.kept_on->solvers, 1u);
  EXPECT_EQ(direct.kept_on->example, "miopen.11.ConvOclDirectFwd");
  EXPECT_TRUE(d.notes.empty()) << d.notes[0];
}

TEST(DecideMiopenEnv, NeverSwitchesOffEveryFamilyThatPassed) {
  // GEMM solvers have no switch of their own: a hanging one would take the family, and with it the only
  // family that passed.
  const std::string p = "mb1ic3ih44oc64kh3ph1";
  const auto trials = test::make_trials(
      "miopen",
      {{p, "miopen.91.GemmFwdRest", "gemm", Verdict::hang, 0, "phase run", solver(91, "GemmFwdRest")},
       {p, "miopen.88.GemmFwd1x1_0_1", "gemm", Verdict::pass, 1.0, "", solver(88, "GemmFwd1x1_0_1")}});
  const MiopenDecision d = decide(trials);
  EXPECT_EQ(assignments(d), std::vector<std::string>{"MIOPEN_DEBUG_CONV_GEMM=1"});
  EXPECT_TRUE(has_note(d, "warning: switching off every family that passed somewhere"));
  EXPECT_TRUE(has_note(d, "warning: miopen.91.GemmFwdRest stays reachable"));
}

TEST(DecideMiopenEnv, AFamilySwitchWarnsAboutTheSolversItTakesWithIt) {
  // FFT's only solver fails, so FFT=0; a GEMM solver fails (family-only) while another passes: GEMM=0 warns.
  const std::string p = "mb1ic3ih44oc64kh3ph1";
  const auto trials = test::make_trials(
      "miopen",
      {{p, "miopen.91.GemmFwdRest", "gemm", Verdict::hang, 0, "", solver(91, "GemmFwdRest")},
       {p, "miopen.88.GemmFwd1x1_0_1", "gemm", Verdict::pass, 1.0, "", solver(88, "GemmFwd1x1_0_1")},
       {p, "miopen.11.ConvOclDirectFwd", "direct", Verdict::pass, 2.0, "", solver(11, "ConvOclDirectFwd")}});
  const MiopenDecision d = decide(trials);
  EXPECT_EQ(assignments(d),
            (std::vector<std::string>{"MIOPEN_DEBUG_CONV_GEMM=0", "MIOPEN_DEBUG_CONV_DIRECT=1"}));
  EXPECT_TRUE(has_note(d, "warning: MIOPEN_DEBUG_CONV_GEMM=0 also switches off 1 solver(s)"));
}

TEST(DecideMiopenEnv, TheInvertedSwitchIsWrittenAsOne) {
  const std::string p = "bwdd_mb1ic16ih14oc16kh3ph1";
  const auto trials = test::make_trials(
      "miopen", {{p, "miopen.155.ConvHipImplicitGemmGroupBwdXdlops", "implicit_gemm", Verdict::crash, 0, "",
                  solver(155, "ConvHipImplicitGemmGroupBwdXdlops")},
                 {p, "miopen.127.ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC", "implicit_gemm", Verdict::pass,
                  1.0, "", solver(127, "ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC")}});
  const MiopenDecision d = decide(trials);
  EXPECT_EQ(assignments(d),
            (std::vector<std::string>{"MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_HIP_GROUP_BWD_XDLOPS=1",
                                      "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM=1"}));
  ASSERT_EQ(d.switches[0].disables.size(), 1u);
  EXPECT_EQ(d.switches[0].disables[0].subject,
            "miopen.155.ConvHipImplicitGemmGroupBwdXdlops (inverted: 1 disables)");
}

TEST(DecideMiopenEnv, ASlowSolverGetsOnlyItsOwnSwitch) {
  // The naive direct solver is the only direct solver that ran, and it is slow everywhere: its own switch,
  // not DIRECT=0 (which "every solver of the family failed" would give a failure).
  const std::string p1 = "mb1ic3ih32oc64kh3ph1", p2 = "mb1ic3ih44oc64kh3ph1";
  const auto naive = solver(85, "ConvDirectNaiveConvFwd");
  const auto igemm = solver(127, "ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC");
  const auto trials = test::make_trials(
      "miopen", {{p1, "miopen.85.ConvDirectNaiveConvFwd", "direct", Verdict::pass, 9.0, "", naive},
                 {p2, "miopen.85.ConvDirectNaiveConvFwd", "direct", Verdict::pass, 9.0, "", naive},
                 {p1, "miopen.127.ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC", "implicit_gemm", Verdict::pass,
                  1.0, "", igemm},
                 {p2, "miopen.127.ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC", "implicit_gemm", Verdict::pass,
                  1.0, "", igemm}});
  const MiopenDecision d = decide(trials, 1.2);
  EXPECT_EQ(assignments(d), (std::vector<std::string>{"MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_FWD=0",
                                                      "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM=1"}));
}

TEST(RenderMiopenEnv, WritesCommentsThenExportsAndRefusesWhatMiopenWouldThrowOn) {
  const auto trials = test::miopen_trials();
  const Policy policy = derive_policy("miopen", trials, {});
  MiopenDecision d;
  d.switches.push_back({"MIOPEN_DEBUG_CONV_GEMM", "0", {{"a solver", {}}}, std::nullopt});
  d.notes.push_back("a note");
  const EmitResult r = render_miopen_env(d, EmitInput{&policy, &trials, ""});
  EXPECT_NE(r.content.find("\n# a solver: \nexport MIOPEN_DEBUG_CONV_GEMM=0\n"), std::string::npos)
      << r.content;
  ASSERT_GE(r.notes.size(), 3u);
  EXPECT_EQ(r.notes[0], "a note");
  EXPECT_EQ(r.notes[1], "MIOPEN_DEBUG_CONV_GEMM=0");

  d.switches[0].value = "maybe";
  EXPECT_THROW((void)render_miopen_env(d, EmitInput{&policy, &trials, ""}), std::logic_error);
  d.switches[0] = {"MIOPEN_DEBUG_CONV_GEMM=0; rm -rf /", "0", {}, std::nullopt};
  EXPECT_THROW((void)render_miopen_env(d, EmitInput{&policy, &trials, ""}), std::logic_error);
}

}  // namespace
}  // namespace convprobe
