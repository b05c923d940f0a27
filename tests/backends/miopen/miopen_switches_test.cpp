// The switch map (src/vendor/miopen_switches): every solver of ../shared/FACTS.md §3 maps to its documented
// variable, GEMM only as a family, the inverted switch writes 1, and only 0/1 are ever written.
#include "vendor/miopen_switches.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace convprobe::miopen {
namespace {

std::string var_for(int id, Direction dir = Direction::fwd) {
  const auto* s = find_solver(id);
  EXPECT_NE(s, nullptr) << "solver " << id;
  return s == nullptr ? "" : disable_solver(*s, dir).to_string();
}

TEST(MiopenSwitches, CPU_SolversMapToTheirDocumentedVariables) {
  const std::map<int, std::string> expected = {
      {1, "MIOPEN_DEBUG_CONV_DIRECT_ASM_3X3U=0"},
      {7, "MIOPEN_DEBUG_CONV_DIRECT_ASM_7X7C3H224W224=0"},
      {20, "MIOPEN_DEBUG_CONV_DIRECT_OCL_WRW2=0"},
      {25, "MIOPEN_DEBUG_CONV_DIRECT_OCL_WRW1X1=0"},
      {85, "MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_FWD=0"},
      {86, "MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_BWD=0"},
      {87, "MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_WRW=0"},
      {14, "MIOPEN_DEBUG_AMD_WINOGRAD_3X3=0"},
      {37, "MIOPEN_DEBUG_AMD_WINOGRAD_RXS_F3X2=0"},
      {44, "MIOPEN_DEBUG_AMD_WINOGRAD_MPASS_F7X2=0"},
      {53, "MIOPEN_DEBUG_AMD_WINOGRAD_RXS_F2X3=0"},
      {69, "MIOPEN_DEBUG_AMD_MP_BD_WINOGRAD_F4X3=0"},
      {84, "MIOPEN_DEBUG_AMD_WINOGRAD_RXS_F2X3_G1=0"},
      {139, "MIOPEN_DEBUG_AMD_WINOGRAD_FURY_RXS_F2X3=0"},
      {26, "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_HIP_FWD_V4R1=0"},
      {62, "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_ASM_FWD_V4R1=0"},
      {82, "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_ASM_BWD_GTC_XDLOPS=0"},
      {99, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_BWD=0"},
      {114, "MIOPEN_DEBUG_CONV_CK_IGEMM_FWD_V6R1_DLOPS_NCHW=0"},
      {137, "MIOPEN_DEBUG_GROUP_CONV_IMPLICIT_GEMM_HIP_FWD_XDLOPS=0"},
      {140, "MIOPEN_DEBUG_3D_CONV_IMPLICIT_GEMM_HIP_WRW_XDLOPS=0"},
      {141, "MIOPEN_DEBUG_3D_CONV_IMPLICIT_GEMM_HIP_BWD_XDLOPS=0"},
      {150, "MIOPEN_DEBUG_F16F8F16_CONV_IMPLICIT_GEMM_HIP_BWD_XDLOPS=0"},
      {156, "MIOPEN_DEBUG_GROUP_CONV_IMPLICIT_GEMM_HIP_WRW_XDLOPS=0"},
  };
  for (const auto& [id, var] : expected) EXPECT_EQ(var_for(id), var) << "solver " << id;
}

TEST(MiopenSwitches, CPU_InvertedSwitchWritesOne) {
  const auto* s = find_solver(155);
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->inverted);
  const auto a = disable_solver(*s, Direction::bwd_data);
  EXPECT_EQ(a.to_string(), "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_HIP_GROUP_BWD_XDLOPS=1");
  EXPECT_TRUE(a.inverted);
  for (const auto& other : solver_table()) {
    if (other.id != 155) {
      EXPECT_FALSE(other.inverted) << other.id;
    }
  }
}

TEST(MiopenSwitches, CPU_GemmSolversOnlyAsAFamily) {
  for (int id : {88, 89, 90, 91, 95, 96, 97, 101, 102}) {
    const auto* s = find_solver(id);
    ASSERT_NE(s, nullptr) << id;
    EXPECT_EQ(s->family, "gemm");
    const auto a = disable_solver(*s, Direction::fwd);
    EXPECT_EQ(a.to_string(), "MIOPEN_DEBUG_CONV_GEMM=0") << id;
    EXPECT_TRUE(a.family_wide);
  }
  EXPECT_EQ(var_for(34), "MIOPEN_DEBUG_CONV_FFT=0");
}

TEST(MiopenSwitches, CPU_WinogradRxSHasANarrowerSwitchForBwdWeights) {
  EXPECT_EQ(var_for(15, Direction::fwd), "MIOPEN_DEBUG_AMD_WINOGRAD_RXS_FWD_BWD=0");
  EXPECT_EQ(var_for(15, Direction::bwd_weights), "MIOPEN_DEBUG_AMD_WINOGRAD_RXS_WRW=0");
}

TEST(MiopenSwitches, CPU_OnlyZeroOrOneIsEverWrittenAndIdsAreUniquePerRelease) {
  for (MiopenVersion v : {kMiopenRocm52, kMiopenRocm57, MiopenVersion{3, 2, 0}, kMiopenRocm70}) {
    std::set<int> ids;
    for (const auto* s : solver_table(v)) EXPECT_TRUE(ids.insert(s->id).second) << "duplicate id " << s->id;
  }
  std::set<std::string_view> names;
  for (const auto& s : solver_table()) {
    EXPECT_TRUE(names.insert(s.name).second) << "duplicate name " << s.name;
    for (auto dir : {Direction::fwd, Direction::bwd_data, Direction::bwd_weights}) {
      const auto a = disable_solver(s, dir);
      EXPECT_TRUE(a.value == "0" || a.value == "1") << s.id;
      EXPECT_EQ(a.variable.rfind("MIOPEN_DEBUG_", 0), 0u) << s.id;
    }
  }
}

TEST(MiopenSwitches, CPU_FamilyVariables) {
  EXPECT_EQ(disable_family("gemm")->to_string(), "MIOPEN_DEBUG_CONV_GEMM=0");
  EXPECT_EQ(disable_family("implicit_gemm")->to_string(), "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM=0");
  EXPECT_EQ(disable_family("winograd")->to_string(), "MIOPEN_DEBUG_CONV_WINOGRAD=0");
  EXPECT_EQ(disable_family("direct")->to_string(), "MIOPEN_DEBUG_CONV_DIRECT=0");
  EXPECT_EQ(disable_family("fft")->to_string(), "MIOPEN_DEBUG_CONV_FFT=0");
  EXPECT_FALSE(disable_family("engine").has_value());
  EXPECT_EQ(family_of_algorithm(5), "implicit_gemm");
  EXPECT_EQ(family_of_algorithm(4), "");
}

TEST(MiopenSwitches, CPU_CandidateAttributesPickTheSwitch) {
  Candidate c;
  c.family = "direct";
  c.attrs["solver_id"] = "25";
  EXPECT_EQ(disable_candidate(c, Direction::bwd_weights)->to_string(),
            "MIOPEN_DEBUG_CONV_DIRECT_OCL_WRW1X1=0");
  c.attrs.clear();
  c.attrs["solver_name"] = "GemmFwdRest";
  EXPECT_EQ(disable_candidate(c, Direction::fwd)->to_string(), "MIOPEN_DEBUG_CONV_GEMM=0");
  c.attrs.clear();
  c.family = "winograd";  // a solver newer than the table: its family still has a switch
  c.attrs["solver_id"] = "9999";
  EXPECT_EQ(disable_candidate(c, Direction::fwd)->to_string(), "MIOPEN_DEBUG_CONV_WINOGRAD=0");
}

TEST(MiopenSwitches, CPU_BooleanParsingFollowsMiopen) {
  for (const char* off : {"0", "no", "OFF", "False", "disable", "Disabled"})
    EXPECT_EQ(parse_bool(off), false) << off;
  for (const char* on : {"1", "yes", "On", "TRUE", "enable", "enabled"})
    EXPECT_EQ(parse_bool(on), true) << on;
  for (const char* bad : {"", "2", "maybe", "0 "}) EXPECT_FALSE(parse_bool(bad).has_value()) << bad;
}

// Issue 15 finding 4: 5.x reads exact words only and ignores the rest; 6.0 lower-cases and adds on/off;
// >= 6.1 throws on the rest.
TEST(MiopenSwitches, CPU_BooleanParsingFollowsTheRelease) {
  EXPECT_EQ(parse_bool("off", kMiopenRocm52), std::nullopt);
  EXPECT_EQ(parse_bool("False", kMiopenRocm52), std::nullopt);
  EXPECT_EQ(parse_bool("false", kMiopenRocm52), false);
  EXPECT_EQ(parse_bool("0", kMiopenRocm57), false);
  EXPECT_EQ(parse_bool("Yes", kMiopenRocm57), std::nullopt);
  EXPECT_EQ(parse_bool("Off", kMiopenRocm60), false);
  EXPECT_EQ(parse_bool("Off", MiopenVersion{3, 2, 0}), false);
  EXPECT_FALSE(throws_on_malformed(kMiopenRocm57));
  EXPECT_FALSE(throws_on_malformed(kMiopenRocm60));
  EXPECT_TRUE(throws_on_malformed(kMiopenRocm61));
  EXPECT_TRUE(throws_on_malformed({}));  // unknown: the newest release
}

// Issue 15 findings 3 and 5: deprecation from 5.7 only; ids per release, 8 and 24 reused by 7.x.
TEST(MiopenSwitches, CPU_TableFollowsTheRelease) {
  EXPECT_EQ(find_solver(8, kMiopenRocm57)->name, "ConvOclDirectFwd11x11");
  EXPECT_EQ(find_solver(8, kMiopenRocm70)->name, "ConvHipDirectFwd11x11");
  EXPECT_EQ(disable_solver(*find_solver(8, kMiopenRocm70), Direction::fwd).to_string(),
            "MIOPEN_DEBUG_CONV_DIRECT_HIP_FWD11X11=0");
  EXPECT_EQ(disable_solver(*find_solver(24, kMiopenRocm70), Direction::bwd_weights).to_string(),
            "MIOPEN_DEBUG_CONV_DIRECT_HIP_WRW53=0");
  EXPECT_FALSE(find_solver(24, kMiopenRocm70)->deprecated);
  for (int gone : {9, 11, 13, 18, 23, 25, 128, 129, 149, 151}) {
    EXPECT_EQ(find_solver(gone, kMiopenRocm70), nullptr) << gone;
    EXPECT_NE(find_solver(gone, MiopenVersion{3, 2, 0}), nullptr) << gone;
  }
  EXPECT_EQ(find_solver(139, kMiopenRocm52), nullptr);
  EXPECT_EQ(find_solver(217, MiopenVersion{3, 2, 0}), nullptr);
  EXPECT_NE(find_solver(217, kMiopenRocm70), nullptr);
  EXPECT_EQ(find_solver(53, kMiopenRocm52)->name, "ConvBinWinogradRxSf2x3");
  EXPECT_EQ(find_solver(53, kMiopenRocm57)->name, "ConvBinWinoRxS<2-3>");
  const auto none = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  const auto& asm3x3 = *find_solver(1, kMiopenRocm52);
  EXPECT_TRUE(solver_enabled(asm3x3, Direction::fwd, "gfx1010", none, kMiopenRocm52));
  EXPECT_FALSE(solver_enabled(asm3x3, Direction::fwd, "gfx1010", none, kMiopenRocm57));
  // A stored 7.x candidate names its row: the switch MIOpen 3.5 reads.
  Candidate c;
  c.family = "direct";
  c.attrs = {{"solver_id", "8"}, {"solver_name", "ConvHipDirectFwd11x11"}};
  EXPECT_EQ(disable_candidate(c, Direction::fwd)->variable, "MIOPEN_DEBUG_CONV_DIRECT_HIP_FWD11X11");
}

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(MiopenSwitches, CPU_EnabledFollowsFamilyDeprecationAndDefaults) {
  const auto none = env_of({});
  const auto& gemm = *find_solver(91);
  EXPECT_TRUE(solver_enabled(gemm, Direction::fwd, "gfx1010:xnack-", none));
  EXPECT_FALSE(solver_enabled(gemm, Direction::bwd_data, "gfx1010", none));  // a forward solver
  EXPECT_FALSE(solver_enabled(gemm, Direction::fwd, "gfx1010", env_of({{"MIOPEN_DEBUG_CONV_GEMM", "0"}})));
  // Deprecated: off on gfx1010, on for gfx1030, or with MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS=1.
  const auto& asm3x3 = *find_solver(1);
  EXPECT_FALSE(solver_enabled(asm3x3, Direction::fwd, "gfx1010", none));
  EXPECT_TRUE(solver_enabled(asm3x3, Direction::fwd, "gfx1030", none));
  EXPECT_TRUE(solver_enabled(asm3x3, Direction::fwd, "gfx1010",
                             env_of({{"MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS", "1"}})));
  // Off unless =1 everywhere (MP bidirectional Winograd).
  const auto& mpbd = *find_solver(67);
  EXPECT_FALSE(solver_enabled(mpbd, Direction::fwd, "gfx90a", none));
  EXPECT_TRUE(solver_enabled(mpbd, Direction::fwd, "gfx90a",
                             env_of({{"MIOPEN_DEBUG_AMD_MP_BD_WINOGRAD_F2X3", "1"}})));
  // Inverted: =1 disables.
  const auto& group_bwd = *find_solver(155);
  EXPECT_TRUE(solver_enabled(group_bwd, Direction::bwd_data, "gfx90a", none));
  EXPECT_FALSE(solver_enabled(group_bwd, Direction::bwd_data, "gfx90a",
                              env_of({{"MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_HIP_GROUP_BWD_XDLOPS", "1"}})));
  // A malformed value is reported (MIOpen would throw).
  std::string problem;
  (void)solver_enabled(gemm, Direction::fwd, "gfx1010", env_of({{"MIOPEN_DEBUG_CONV_GEMM", "maybe"}}), {},
                       &problem);
  EXPECT_NE(problem.find("MIOPEN_DEBUG_CONV_GEMM='maybe'"), std::string::npos) << problem;
  const auto bad = malformed_switches(env_of({{"MIOPEN_DEBUG_AMD_WINOGRAD_FURY_RXS_F2X3", "nope"}}));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_NE(bad[0].find("FURY"), std::string::npos);
}

}  // namespace
}  // namespace convprobe::miopen
