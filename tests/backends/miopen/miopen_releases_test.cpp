// Issue 15: the MIOpen backend against the double as each release behaves (5.2, 5.7, 6.x, 7.x), one test per
// finding of ../shared/research/miopen-real.md. Workers are real supervised processes, as in a sweep, so a
// candidate's worker_env and a user's MIOPEN_* settings reach MIOpen the way they do in production.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "miopen_test_support.hpp"
#include "vendor/miopen_switches.hpp"

namespace convprobe::miopen_test {
namespace {

using D = Direction;
using Env = std::map<std::string, std::string>;

Env release(const char* v, Env extra = {}) {
  extra["CONVPROBE_MIOPEN_DOUBLE_VERSION"] = v;
  return extra;
}

std::string describe(const std::map<int, Outcome>& r) {
  std::ostringstream os;
  for (const auto& [id, o] : r) os << id << ": " << to_string(o.verdict) << " " << o.detail << "\n";
  return os.str();
}

void expect_all_pass(const std::map<int, Outcome>& r, const std::vector<int>& ids) {
  for (int id : ids) {
    ASSERT_EQ(r.count(id), 1u) << id << "\n" << describe(r);
    EXPECT_EQ(to_string(r.at(id).verdict), "PASS") << id << ": " << r.at(id).detail;
  }
}

bool has(const std::vector<Candidate>& cs, int id) { return find_solver(cs, id) != nullptr; }

const Problem kFwd3x3 = conv(D::fwd, 1, 4, 16, 4, 3);

// Finding 1: non-dynamic solvers (ASM/OpenCL direct, HIP iGEMM, FFT, the 7.x HIP direct) are reached only by
// a NORMAL-mode Find; in DYNAMIC_HYBRID (the default) a forced worker's Find skips them and they read
// UNSUPPORTED although they apply.
TEST(MiopenReleases, CPU_Finding1_NonDynamicSolversPassInForcedWorkers) {
  expect_all_pass(supervised(kFwd3x3, {1, 11, 26, 34}, release("5.2")), {1, 11, 26, 34});
  expect_all_pass(supervised(kFwd3x3, {34}, release("5.7")), {34});
  expect_all_pass(supervised(kFwd3x3, {34}, release("6.x")), {34});
  expect_all_pass(supervised(kFwd3x3, {34, 217}, release("7.x")), {34, 217});
}

// Finding 2: a user's MIOPEN_FIND_MODE=FAST makes Find return the immediate fallback's best solver, which is
// not the forced one; the forced id must not then run as if it applied (here: ConvAsm3x3U on a 1x1 problem,
// whose kernels would write garbage).
TEST(MiopenReleases, CPU_Finding2_FastFindModeCannotSubstituteASolver) {
  const Problem fwd1x1 = conv(D::fwd, 1, 4, 16, 4, 1);
  for (const char* mode : {"FAST", "2"}) {
    const auto r = supervised(fwd1x1, {1}, release("5.2", {{"MIOPEN_FIND_MODE", mode}}));
    ASSERT_EQ(r.count(1), 1u);
    EXPECT_EQ(to_string(r.at(1).verdict), "UNSUPPORTED") << mode << ": " << r.at(1).detail;
  }
  // The same where the plugin already probed ConvAsm3x3U: 6.x with deprecated solvers enabled.
  const auto v6 = supervised(
      fwd1x1, {1},
      release("6.x", {{"MIOPEN_FIND_MODE", "FAST"}, {"MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS", "1"}}));
  ASSERT_EQ(v6.count(1), 1u);
  EXPECT_EQ(to_string(v6.at(1).verdict), "UNSUPPORTED") << v6.at(1).detail;
  expect_all_pass(supervised(kFwd3x3, {1, 34}, release("5.2", {{"MIOPEN_FIND_MODE", "FAST"}})), {1, 34});
}

// Finding 2: MIOPEN_DEBUG_FORCE_IMMED_MODE_FALLBACK (from 5.7) makes a DYNAMIC_HYBRID Find return the
// fallback. Fury (139) never needs a workspace and never applies on gfx1010: only Find can say so.
TEST(MiopenReleases, CPU_Finding2_ForcedImmediateFallbackCannotSubstituteASolver) {
  const auto r =
      supervised(kFwd3x3, {139}, release("6.x", {{"MIOPEN_DEBUG_FORCE_IMMED_MODE_FALLBACK", "1"}}));
  ASSERT_EQ(r.count(139), 1u);
  EXPECT_EQ(to_string(r.at(139).verdict), "UNSUPPORTED") << r.at(139).detail;
}

// Finding 2: MIOPEN_FIND_ENFORCE=SEARCH makes Find tune and write the user's perf-db.
TEST(MiopenReleases, CPU_Finding2_FindEnforceSearchLeavesThePerfDbAlone) {
  const auto dir = std::filesystem::temp_directory_path() / ("convprobe-enforce-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  for (const char* v : {"5.2", "6.x"}) {
    const auto r =
        supervised(kFwd3x3, {34},
                   release(v, {{"MIOPEN_FIND_ENFORCE", "SEARCH"}, {"MIOPEN_USER_DB_PATH", dir.string()}}));
    expect_all_pass(r, {34});
    EXPECT_TRUE(std::filesystem::is_empty(dir)) << v << ": something wrote into " << dir;
  }
  std::filesystem::remove_all(dir);
}

// Finding 3: deprecation (MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS) exists only from 5.7; on 5.2 the direct
// kernels gfx1010 runs are live and must be probed.
TEST(MiopenReleases, CPU_Finding3_DeprecationOnlyFrom57) {
  const auto v52 = supervised_executor(release("5.2"))->candidates(kFwd3x3, quick_options());
  for (int id : {1, 11, 26}) EXPECT_TRUE(has(v52, id)) << id;
  const auto v57 = supervised_executor(release("5.7"))->candidates(kFwd3x3, quick_options());
  for (int id : {1, 11, 26}) EXPECT_FALSE(has(v57, id)) << id;
  const auto enabled = supervised_executor(release("5.7", {{"MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS", "1"}}))
                           ->candidates(kFwd3x3, quick_options());
  for (int id : {1, 11, 26}) EXPECT_TRUE(has(enabled, id)) << id;
}

bool warns_about(const BackendInfo& info, const std::string& text) {
  for (const auto& n : info.notes) {
    if (n.find(text) != std::string::npos) return true;
  }
  return false;
}

// Finding 4: 5.x compares exact lower-case words and ignores the rest (no on/off, no throw); >= 6.1
// lower-cases, accepts on/off and throws on anything else.
TEST(MiopenReleases, CPU_Finding4_EnvironmentParsedAsTheReleaseDoes) {
  for (const char* off : {"off", "False", "OFF"}) {
    auto exec = supervised_executor(release("5.2", {{"MIOPEN_DEBUG_CONV_FFT", off}}));
    EXPECT_TRUE(has(exec->candidates(kFwd3x3, quick_options()), 34)) << "5.2 ignores " << off;
    EXPECT_FALSE(warns_about(exec->info(), "MIOPEN_DEBUG_CONV_FFT")) << off;
  }
  auto v6 = supervised_executor(release("6.x", {{"MIOPEN_DEBUG_CONV_FFT", "Off"}}));
  EXPECT_FALSE(has(v6->candidates(kFwd3x3, quick_options()), 34));
  auto maybe52 = supervised_executor(release("5.2", {{"MIOPEN_DEBUG_CONV_FFT", "maybe"}}));
  EXPECT_FALSE(warns_about(maybe52->info(), "MIOPEN_DEBUG_CONV_FFT")) << "5.2 ignores what it cannot read";
  auto maybe6 = supervised_executor(release("6.x", {{"MIOPEN_DEBUG_CONV_FFT", "maybe"}}));
  EXPECT_TRUE(warns_about(maybe6->info(), "MIOPEN_DEBUG_CONV_FFT='maybe'"));
}

// Finding 5: 7.x removed the OpenCL direct solvers, reused ids 8 and 24 for HIP ports with new variables, and
// added new ids; on >= 5.7 the backend discovers ids with miopenGetSolverIdConvAlgorithm.
TEST(MiopenReleases, CPU_Finding5_SolverIdsFollowTheRelease) {
  Problem p11 = conv(D::fwd, 1, 3, 27, 4, 11);
  p11.stride = {1, 4, 4};
  p11.set_pads({0, 0, 0});
  auto v7 = supervised_executor(release("7.x"));
  const auto c11 = v7->candidates(p11, quick_options());
  const Candidate* hip11 = find_solver(c11, 8);
  ASSERT_NE(hip11, nullptr);
  EXPECT_EQ(hip11->id, "miopen.8.ConvHipDirectFwd11x11");
  EXPECT_EQ(miopen::disable_candidate(*hip11, D::fwd)->variable, "MIOPEN_DEBUG_CONV_DIRECT_HIP_FWD11X11");
  expect_all_pass(supervised(p11, {8}, release("7.x")), {8});
  const auto c3 = v7->candidates(kFwd3x3, quick_options());
  EXPECT_TRUE(has(c3, 217)) << "ConvHipDirectFwd, new in 7.x";
  EXPECT_FALSE(has(c3, 11)) << "ConvOclDirectFwd is gone in 7.x";
  EXPECT_NE(v7->info().version.find("MIOpen 3.5.1"), std::string::npos);
  // The same id in 6.x is the deprecated OpenCL kernel with its own variable.
  Candidate ocl11;
  ocl11.id = "miopen.8.ConvOclDirectFwd11x11";
  ocl11.family = "direct";
  ocl11.attrs = {{"solver_id", "8"}, {"solver_name", "ConvOclDirectFwd11x11"}};
  EXPECT_EQ(miopen::disable_candidate(ocl11, D::fwd)->variable, "MIOPEN_DEBUG_CONV_DIRECT_OCL_FWD11X11");
}

class MiopenReleasesInProcess : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

// Finding 6: a worker serving two devices must make the trial's device current before its calls, not only
// when the handle is created.
[[noreturn]] void two_devices() {
  setenv("CONVPROBE_HIP_DOUBLE_DEVICES", "2", 1);
  use_test_double();
  auto fresh = load_miopen();
  const Problem p = conv(D::fwd, 1, 4, 16, 4, 3);
  for (int device : {1, 0, 1}) {
    TrialOptions o = quick_options();
    o.device = device;
    const auto cs = fresh->get().candidates(p, o);
    const Candidate* naive = find_solver(cs, 85);
    if (naive == nullptr) std::_Exit(3);
    NullContext ctx;
    const auto r = fresh->get().run_trial(p, *naive, o, ctx);
    if (r.verdict != Verdict::pass) report_and_exit(r);
  }
  std::cerr << "verdict=PASS on every device" << std::endl;
  std::_Exit(0);
}

TEST_F(MiopenReleasesInProcess, CPU_Finding6_DeviceMadeCurrentBeforeEveryCall) {
  EXPECT_EXIT(two_devices(), ::testing::ExitedWithCode(0), "verdict=PASS on every device");
}

}  // namespace
}  // namespace convprobe::miopen_test
