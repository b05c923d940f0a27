// The MIOpen plugin in this process against the test doubles: device, candidates per direction, verdicts of
// the reported misbehaviours. What MIOpen reads once per process (MIOPEN_DEBUG_* at first use) and what
// crashes the process runs in a child (gtest's threadsafe death tests re-execute this binary).
#include <gtest/gtest.h>

#include <csignal>

#include "miopen_test_support.hpp"

namespace convprobe::miopen_test {
namespace {

using D = Direction;

class MiopenDouble : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
  void SetUp() override {
    use_test_double();
    loaded_ = load_miopen();
    ASSERT_NE(loaded_, nullptr);
  }
  Backend& b() { return loaded_->get(); }
  std::unique_ptr<LoadedBackend> loaded_;
};

TEST_F(MiopenDouble, CPU_DevicesShowGfx1010AndVersions) {
  const BackendInfo info = b().info();
  ASSERT_TRUE(info.available) << info.reason;
  ASSERT_EQ(info.devices.size(), 1u);
  EXPECT_EQ(info.devices[0].name, "gfx1010:xnack-");
  EXPECT_NE(info.devices[0].details.find("36 CUs"), std::string::npos) << info.devices[0].details;
  EXPECT_NE(info.version.find("MIOpen 2.17.0"), std::string::npos) << info.version;  // ROCm 5.2
  EXPECT_NE(info.version.find("HIP 5.2.21151"), std::string::npos) << info.version;
  EXPECT_NE(info.version.find("test double"), std::string::npos) << info.version;
  bool db_note = false, double_note = false;
  for (const auto& n : info.notes) {
    db_note |= n.find("MIOpen user db") != std::string::npos;
    double_note |= n.find("TEST DOUBLE") != std::string::npos;
  }
  EXPECT_TRUE(db_note);
  EXPECT_TRUE(double_note);
}

TEST_F(MiopenDouble, CPU_CandidatesPerDirection) {
  const auto fwd = b().candidates(conv(D::fwd, 2, 8, 32, 8, 3), quick_options());
  const Candidate* gemm = find_solver(fwd, 91);
  ASSERT_NE(gemm, nullptr);
  EXPECT_EQ(gemm->id, "miopen.91.GemmFwdRest");
  EXPECT_EQ(gemm->family, "gemm");
  // GEMM is dynamic with a WTI: the immediate fallback lists it (5.2 convolutionocl.cpp:777-784).
  EXPECT_EQ(gemm->attrs.count("worker_env"), 0u);
  // FFT is not dynamic: only a NORMAL-mode Find reaches it, in a worker of its own.
  ASSERT_NE(find_solver(fwd, 34), nullptr);
  EXPECT_EQ(find_solver(fwd, 34)->attrs.at("worker_env"),
            "MIOPEN_DEBUG_FIND_ONLY_SOLVER=34\nMIOPEN_FIND_MODE=NORMAL\nMIOPEN_DEBUG_DISABLE_FIND_DB=1\n"
            "MIOPEN_FIND_ENFORCE=NONE\nMIOPEN_DEBUG_FORCE_IMMED_MODE_FALLBACK=0");
  EXPECT_EQ(find_solver(fwd, 34)->attrs.at("dynamic"), "0");
  const Candidate* naive = find_solver(fwd, 85);
  ASSERT_NE(naive, nullptr);
  EXPECT_EQ(naive->family, "direct");
  EXPECT_EQ(naive->attrs.count("worker_env"), 0u);  // listed by immediate mode
  ASSERT_NE(find_solver(fwd, 84), nullptr);
  EXPECT_EQ(find_solver(fwd, 84)->family, "winograd");
  ASSERT_NE(find_solver(fwd, 62), nullptr);
  EXPECT_EQ(find_solver(fwd, 62)->family, "implicit_gemm");
  ASSERT_NE(find_solver(fwd, 34), nullptr);
  EXPECT_EQ(find_solver(fwd, 34)->family, "fft");
  EXPECT_EQ(find_solver(fwd, 88), nullptr);  // 1x1 only: not applicable to 3x3
  EXPECT_EQ(find_solver(fwd, 97), nullptr);  // a bwd-data solver

  const auto bwd = b().candidates(conv(D::bwd_data, 2, 8, 32, 8, 3), quick_options());
  for (int id : {86, 97, 65, 84}) EXPECT_NE(find_solver(bwd, id), nullptr) << id;
  const auto wrw = b().candidates(conv(D::bwd_weights, 2, 8, 32, 8, 1), quick_options());
  for (int id : {17, 87, 101, 66}) EXPECT_NE(find_solver(wrw, id), nullptr) << id;
  // ConvOclBwdWrW1x1 is off on gfx10 unless its variable says "enabled" (5.2 conv_ocl_dir2D_bwdWrW_1x1.cpp).
  EXPECT_EQ(find_solver(wrw, 25), nullptr);
  EXPECT_EQ(find_solver(wrw, 102), nullptr);  // GemmWrwUniversal is not the 1x1 one here

  Problem tf32 = conv(D::fwd, 2, 8, 32, 8, 3);
  tf32.type = DataType::tf32;
  EXPECT_TRUE(b().candidates(tf32, quick_options()).empty());
  Problem f16 = conv(D::fwd, 2, 8, 32, 8, 3);
  f16.type = DataType::f16;
  EXPECT_NE(find_solver(b().candidates(f16, quick_options()), 53), nullptr);
}

TEST_F(MiopenDouble, CPU_GemmPassesUpTo42) {
  for (int64_t hw : {32, 42}) {
    const auto r = run_solver(b(), conv(D::fwd, 2, 4, hw, 4, 3), 91);
    EXPECT_EQ(r.verdict, Verdict::pass) << hw << ": " << r.detail;
    EXPECT_TRUE(r.time.has_value());
    EXPECT_GT(r.workspace_bytes, 0);
  }
}

TEST_F(MiopenDouble, CPU_WorkingSolversPassInEveryDirection) {
  EXPECT_EQ(run_solver(b(), conv(D::fwd, 2, 4, 16, 4, 3), 85).verdict, Verdict::pass);
  EXPECT_EQ(run_solver(b(), conv(D::bwd_data, 2, 4, 16, 4, 3), 86).verdict, Verdict::pass);
  EXPECT_EQ(run_solver(b(), conv(D::bwd_weights, 2, 4, 16, 4, 3), 87).verdict, Verdict::pass);
  EXPECT_EQ(run_solver(b(), conv(D::bwd_weights, 2, 4, 16, 4, 3), 53).verdict, Verdict::pass);
  // ASM implicit GEMM is dynamic but has no WTI: never listed, so it runs in its forced worker.
  Problem nhwc = conv(D::fwd, 2, 4, 16, 6, 3);
  nhwc.layout = Layout::nhwc;
  const auto r = supervised(nhwc, {62});
  ASSERT_EQ(r.count(62), 1u);
  EXPECT_EQ(r.at(62).verdict, Verdict::pass) << r.at(62).detail;
}

TEST_F(MiopenDouble, CPU_WrongNumbersAreMismatch) {
  const auto all = supervised(conv(D::bwd_weights, 2, 8, 16, 8, 1), {17});  // not listed: a forced worker
  ASSERT_EQ(all.count(17), 1u);
  const auto& r = all.at(17);
  EXPECT_EQ(r.verdict, Verdict::mismatch) << r.detail;
}

TEST_F(MiopenDouble, CPU_WinogradG1FailsWithUnknownErrorOrImpossibleTiming) {
  const auto unknown = run_solver(b(), conv(D::fwd, 1, 64, 14, 64, 3), 84);
  EXPECT_EQ(unknown.verdict, Verdict::failed);
  EXPECT_EQ(unknown.detail, "miopenStatusUnknownError (7)");
  const auto timing = run_solver(b(), conv(D::fwd, 1, 8, 14, 8, 3), 84);
  EXPECT_EQ(timing.verdict, Verdict::failed);
  EXPECT_NE(timing.detail.find("impossible timing"), std::string::npos) << timing.detail;
}

TEST_F(MiopenDouble, CPU_NotApplicableIsUnsupported) {
  // Winograd 3x3 asked to run a 5x5 problem: GetSolutionWorkspaceSize says BadParm before any compile.
  const Problem p = conv(D::fwd, 2, 4, 16, 4, 5);
  NullContext ctx;
  const auto c = b().candidates(conv(D::fwd, 2, 4, 16, 4, 3), quick_options());
  ASSERT_NE(find_solver(c, 53), nullptr);
  const auto r = b().run_trial(p, *find_solver(c, 53), quick_options(), ctx);
  EXPECT_EQ(r.verdict, Verdict::unsupported) << r.detail;
  EXPECT_NE(r.detail.find("miopenStatusBadParm (3)"), std::string::npos) << r.detail;
}

TEST_F(MiopenDouble, CPU_UncheckableApplicabilityIsSkippedOutsideAForcedWorker) {
  const auto r = run_solver(b(), conv(D::fwd, 2, 4, 16, 4, 3), 1);  // needs no workspace: MIOpen cannot vouch
  EXPECT_EQ(r.verdict, Verdict::skipped) << r.detail;
  EXPECT_NE(r.detail.find("MIOPEN_DEBUG_FIND_ONLY_SOLVER=1"), std::string::npos) << r.detail;
}

TEST_F(MiopenDouble, CPU_GemmBwdRestSegfaultsAboveBatch2) {
  EXPECT_EQ(run_solver(b(), conv(D::bwd_data, 2, 4, 16, 4, 3), 97).verdict, Verdict::pass);
  EXPECT_EXIT(
      {
        auto fresh = load_miopen();
        (void)run_solver(fresh->get(), conv(D::bwd_data, 4, 4, 16, 4, 3), 97);
        std::_Exit(0);
      },
      ::testing::KilledBySignal(SIGSEGV), "");
}

// --- children: what MIOpen reads once per process (MIOPEN_DEBUG_* before first use) ---

[[noreturn]] void forced_worker_passes() {
  setenv("MIOPEN_DEBUG_FIND_ONLY_SOLVER", "88", 1);
  auto fresh = load_miopen();
  report_and_exit(run_solver(fresh->get(), conv(D::fwd, 2, 4, 16, 4, 1), 88));
}

[[noreturn]] void forced_worker_not_applicable() {
  // ConvAsm3x3U never needs a workspace, so only Find can say it does not apply to 5x5.
  setenv("MIOPEN_DEBUG_FIND_ONLY_SOLVER", "1", 1);
  auto fresh = load_miopen();
  Candidate asm3x3;
  asm3x3.id = "miopen.1.ConvAsm3x3U";
  asm3x3.family = "direct";
  asm3x3.attrs = {{"solver_id", "1"}, {"worker_env", "MIOPEN_DEBUG_FIND_ONLY_SOLVER=1"}};
  NullContext ctx;
  report_and_exit(fresh->get().run_trial(conv(D::fwd, 1, 8, 14, 8, 5), asm3x3, quick_options(), ctx));
}

[[noreturn]] void gemm_family_switched_off() {
  setenv("MIOPEN_DEBUG_CONV_GEMM", "0", 1);
  setenv("MIOPEN_DEBUG_FIND_ONLY_SOLVER", "91", 1);
  auto fresh = load_miopen();
  const auto cs = fresh->get().candidates(conv(D::fwd, 2, 4, 16, 4, 3), quick_options());
  for (const auto& c : cs) {
    if (c.family == "gemm") std::_Exit(3);
  }
  if (find_solver(cs, 62) == nullptr) std::_Exit(4);  // implicit GEMM stays on
  // The double's Find no longer sees GEMM either.
  Candidate gemm;
  gemm.id = "miopen.91.GemmFwdRest";
  gemm.family = "gemm";
  gemm.attrs = {{"solver_id", "91"}, {"worker_env", "MIOPEN_DEBUG_FIND_ONLY_SOLVER=91"}};
  NullContext ctx;
  report_and_exit(fresh->get().run_trial(conv(D::fwd, 2, 4, 16, 4, 3), gemm, quick_options(), ctx));
}

// ROCm >= 6.1 throws on a value it cannot parse (rocm-6.2.0 src/include/miopen/env.hpp:106).
[[noreturn]] void malformed_switch() {
  setenv("CONVPROBE_MIOPEN_DOUBLE_VERSION", "6.x", 1);
  setenv("MIOPEN_DEBUG_CONV_GEMM", "maybe", 1);
  auto fresh = load_miopen();
  const auto info = fresh->get().info();
  bool warned = false;
  for (const auto& n : info.notes) warned |= n.find("MIOPEN_DEBUG_CONV_GEMM='maybe'") != std::string::npos;
  if (!warned) std::_Exit(3);
  try {
    (void)fresh->get().candidates(conv(D::fwd, 2, 4, 16, 4, 3), quick_options());
  } catch (const std::exception& e) {
    std::cerr << "threw: " << e.what() << std::endl;
    std::_Exit(0);
  }
  std::_Exit(4);
}

TEST_F(MiopenDouble, CPU_ForcedWorkerRunsFindWithOnlyThatSolver) {
  EXPECT_EXIT(forced_worker_passes(), ::testing::ExitedWithCode(0), "verdict=PASS");
  EXPECT_EXIT(forced_worker_not_applicable(), ::testing::ExitedWithCode(0),
              "verdict=UNSUPPORTED detail=Find with only solver 1 found no solution");
}

TEST_F(MiopenDouble, CPU_DoubleHonoursGemmFamilySwitch) {
  EXPECT_EXIT(gemm_family_switched_off(), ::testing::ExitedWithCode(0), "verdict=UNSUPPORTED");
}

TEST_F(MiopenDouble, CPU_MalformedSwitchIsReportedAndMiopenFails) {
  EXPECT_EXIT(malformed_switch(), ::testing::ExitedWithCode(0),
              "threw: GetSolutionCount failed: miopenStatusInvalidValue \\(2\\)");
}

}  // namespace
}  // namespace convprobe::miopen_test
