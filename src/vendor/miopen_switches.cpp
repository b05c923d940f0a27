#include "vendor/miopen_switches.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iterator>
#include <set>

#include "base/text.hpp"

namespace convprobe::miopen {
namespace {

constexpr std::string_view kGemm = "gemm", kDirect = "direct", kFft = "fft", kWino = "winograd",
                           kIgemm = "implicit_gemm";
constexpr unsigned kFB = kFwd | kBwd;

// Flags for the table rows below.
constexpr unsigned kDep = 1, kOff = 2, kOffGfx10 = 4, kInverted = 8;

constexpr SolverSwitch row(int id, std::string_view name, std::string_view family, unsigned dirs,
                           std::string_view var, unsigned flags = 0) {
  SolverSwitch s;
  s.id = id;
  s.name = name;
  s.family = family;
  s.dirs = dirs;
  s.variable = var;
  s.deprecated = (flags & kDep) != 0;
  s.off_by_default = (flags & kOff) != 0;
  s.off_on_gfx10_gfx11 = (flags & kOffGfx10) != 0;
  s.inverted = (flags & kInverted) != 0;
  return s;
}

/// A row whose solver has a narrower variable for bwd-weights than for fwd/bwd-data (ConvBinWinogradRxS).
constexpr SolverSwitch with_wrw_variable(SolverSwitch s, std::string_view wrw_variable) {
  s.wrw_variable = wrw_variable;
  return s;
}

// Ids, names and variables: ../shared/FACTS.md §3 (MIOpen 2d1fd99 src/solver.cpp and the solvers' sources).
// A table, not code: one row per solver, in id order.
#define D "MIOPEN_DEBUG_CONV_DIRECT_"
#define W "MIOPEN_DEBUG_AMD_"
#define I "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_"
constexpr SolverSwitch kSolvers[] = {
    row(1, "ConvAsm3x3U", kDirect, kFB, D "ASM_3X3U", kDep),
    row(2, "ConvAsm1x1U", kDirect, kFB, D "ASM_1X1U", kDep),
    row(3, "ConvAsm1x1UV2", kDirect, kFB, D "ASM_1X1UV2", kDep),
    row(5, "ConvAsm5x10u2v2f1", kDirect, kFwd, D "ASM_5X10U2V2"),
    row(6, "ConvAsm5x10u2v2b1", kDirect, kBwd, D "ASM_5X10U2V2"),
    row(7, "ConvAsm7x7c3h224w224k64u2v2p3q3f1", kDirect, kFwd, D "ASM_7X7C3H224W224"),
    row(8, "ConvOclDirectFwd11x11", kDirect, kFB, D "OCL_FWD11X11", kDep),
    row(9, "ConvOclDirectFwdGen", kDirect, kFwd, D "OCL_FWDGEN", kDep),
    row(11, "ConvOclDirectFwd", kDirect, kFB, D "OCL_FWD", kDep),
    row(13, "ConvOclDirectFwd1x1", kDirect, kFB, D "OCL_FWD1X1", kDep | kOffGfx10),
    row(14, "ConvBinWinograd3x3U", kWino, kFB, W "WINOGRAD_3X3"),
    with_wrw_variable(row(15, "ConvBinWinogradRxS", kWino, kAllDirs, W "WINOGRAD_RXS_FWD_BWD"),
                      "MIOPEN_DEBUG_AMD_WINOGRAD_RXS_WRW"),
    row(16, "ConvAsmBwdWrW3x3", kDirect, kWrw, D "ASM_WRW3X3", kDep),
    row(17, "ConvAsmBwdWrW1x1", kDirect, kWrw, D "ASM_WRW1X1", kDep),
    row(18, "ConvOclBwdWrW2<1>", kDirect, kWrw, D "OCL_WRW2", kDep),
    row(19, "ConvOclBwdWrW2<2>", kDirect, kWrw, D "OCL_WRW2", kDep),
    row(20, "ConvOclBwdWrW2<4>", kDirect, kWrw, D "OCL_WRW2", kDep),
    row(21, "ConvOclBwdWrW2<8>", kDirect, kWrw, D "OCL_WRW2", kDep),
    row(22, "ConvOclBwdWrW2<16>", kDirect, kWrw, D "OCL_WRW2", kDep),
    row(23, "ConvOclBwdWrW2NonTunable", kDirect, kWrw, D "OCL_WRW2", kDep),
    row(24, "ConvOclBwdWrW53", kDirect, kWrw, D "OCL_WRW53", kDep),
    row(25, "ConvOclBwdWrW1x1", kDirect, kWrw, D "OCL_WRW1X1", kDep | kOffGfx10),
    row(26, "ConvHipImplicitGemmV4R1Fwd", kIgemm, kFwd, I "HIP_FWD_V4R1", kDep),
    row(31, "ConvHipImplicitGemmV4R1WrW", kIgemm, kWrw, I "HIP_WRW_V4R1", kDep),
    row(34, "fft", kFft, kFB, ""),
    row(35, "ConvWinograd3x3MultipassWrW<3-4>", kWino, kWrw, W "WINOGRAD_MPASS_F3X4"),
    row(37, "ConvBinWinoRxS<3-2>", kWino, kAllDirs, W "WINOGRAD_RXS_F3X2"),
    row(38, "ConvWinograd3x3MultipassWrW<3-5>", kWino, kWrw, W "WINOGRAD_MPASS_F3X5"),
    row(39, "ConvWinograd3x3MultipassWrW<3-6>", kWino, kWrw, W "WINOGRAD_MPASS_F3X6"),
    row(40, "ConvWinograd3x3MultipassWrW<3-2>", kWino, kWrw, W "WINOGRAD_MPASS_F3X2"),
    row(41, "ConvWinograd3x3MultipassWrW<3-3>", kWino, kWrw, W "WINOGRAD_MPASS_F3X3"),
    row(42, "ConvWinograd3x3MultipassWrW<7-2>", kWino, kWrw, W "WINOGRAD_MPASS_F7X2"),
    row(43, "ConvWinograd3x3MultipassWrW<7-3>", kWino, kWrw, W "WINOGRAD_MPASS_F7X3"),
    row(44, "ConvWinograd3x3MultipassWrW<7-2-1-1>", kWino, kWrw, W "WINOGRAD_MPASS_F7X2"),
    row(45, "ConvWinograd3x3MultipassWrW<7-3-1-1>", kWino, kWrw, W "WINOGRAD_MPASS_F7X3"),
    row(46, "ConvWinograd3x3MultipassWrW<1-1-7-2>", kWino, kWrw, W "WINOGRAD_MPASS_F7X2"),
    row(47, "ConvWinograd3x3MultipassWrW<1-1-7-3>", kWino, kWrw, W "WINOGRAD_MPASS_F7X3"),
    row(48, "ConvWinograd3x3MultipassWrW<5-3>", kWino, kWrw, W "WINOGRAD_MPASS_F5X3"),
    row(49, "ConvWinograd3x3MultipassWrW<5-4>", kWino, kWrw, W "WINOGRAD_MPASS_F5X4"),
    row(53, "ConvBinWinoRxS<2-3>", kWino, kAllDirs, W "WINOGRAD_RXS_F2X3"),
    row(54, "ConvHipImplicitGemmV4R4Fwd", kIgemm, kFwd, I "HIP_FWD_V4R4", kDep),
    row(55, "ConvHipImplicitGemmBwdDataV1R1", kIgemm, kBwd, I "HIP_BWD_V1R1", kDep),
    row(56, "ConvHipImplicitGemmBwdDataV4R1", kIgemm, kBwd, I "HIP_BWD_V4R1", kDep | kOff),
    row(57, "ConvHipImplicitGemmBwdDataV1R1Xdlops", kIgemm, kBwd, I "HIP_BWD_V1R1_XDLOPS", kDep | kOff),
    row(60, "ConvHipImplicitGemmBwdDataV4R1Xdlops", kIgemm, kBwd, I "HIP_BWD_V4R1_XDLOPS", kDep),
    row(61, "ConvHipImplicitGemmV4R4WrW", kIgemm, kWrw, I "HIP_WRW_V4R4", kDep),
    row(62, "ConvAsmImplicitGemmV4R1DynamicFwd", kIgemm, kFwd, I "ASM_FWD_V4R1"),
    row(63, "ConvAsmImplicitGemmV4R1DynamicFwd_1x1", kIgemm, kFwd, I "ASM_FWD_V4R1_1X1"),
    row(64, "ConvHipImplicitGemmForwardV4R4Xdlops", kIgemm, kFwd, I "HIP_FWD_V4R4_XDLOPS", kDep),
    row(65, "ConvAsmImplicitGemmV4R1DynamicBwd", kIgemm, kBwd, I "ASM_BWD_V4R1"),
    row(66, "ConvAsmImplicitGemmV4R1DynamicWrw", kIgemm, kWrw, I "ASM_WRW_V4R1"),
    row(67, "ConvMPBidirectWinograd<2-3>", kWino, kFB, W "MP_BD_WINOGRAD_F2X3", kOff),
    row(68, "ConvMPBidirectWinograd<3-3>", kWino, kFB, W "MP_BD_WINOGRAD_F3X3", kOff),
    row(69, "ConvMPBidirectWinograd<4-3>", kWino, kFB, W "MP_BD_WINOGRAD_F4X3", kOff),
    row(70, "ConvMPBidirectWinograd<5-3>", kWino, kFB, W "MP_BD_WINOGRAD_F5X3", kOff),
    row(71, "ConvMPBidirectWinograd<6-3>", kWino, kFB, W "MP_BD_WINOGRAD_F6X3", kOff),
    row(72, "ConvAsmImplicitGemmGTCDynamicWrwXdlops", kIgemm, kWrw, I "ASM_WRW_GTC_XDLOPS"),
    row(73, "ConvHipImplicitGemmWrwV4R4Xdlops", kIgemm, kWrw, I "HIP_WRW_V4R4_XDLOPS", kDep),
    row(74, "ConvAsmImplicitGemmGTCDynamicFwdXdlops", kIgemm, kFwd, I "ASM_FWD_GTC_XDLOPS"),
    row(75, "ConvMPBidirectWinograd_xdlops<2-3>", kWino, kFB, W "MP_BD_XDLOPS_WINOGRAD_F2X3", kOff),
    row(76, "ConvMPBidirectWinograd_xdlops<3-3>", kWino, kFB, W "MP_BD_XDLOPS_WINOGRAD_F3X3", kOff),
    row(77, "ConvMPBidirectWinograd_xdlops<4-3>", kWino, kFB, W "MP_BD_XDLOPS_WINOGRAD_F4X3", kOff),
    row(78, "ConvMPBidirectWinograd_xdlops<5-3>", kWino, kFB, W "MP_BD_XDLOPS_WINOGRAD_F5X3", kOff),
    row(79, "ConvMPBidirectWinograd_xdlops<6-3>", kWino, kFB, W "MP_BD_XDLOPS_WINOGRAD_F6X3", kOff),
    row(80, "ConvHipImplicitGemmForwardV4R5Xdlops", kIgemm, kFwd, I "HIP_FWD_V4R5_XDLOPS", kDep),
    row(81, "ConvHipImplicitGemmForwardV4R4Xdlops_Padded_Gemm", kIgemm, kFwd,
        I "HIP_FWD_V4R4_PADDED_GEMM_XDLOPS", kDep),
    row(82, "ConvAsmImplicitGemmGTCDynamicBwdXdlops", kIgemm, kBwd, I "ASM_BWD_GTC_XDLOPS"),
    row(83, "ConvHipImplicitGemmWrwV4R4Xdlops_Padded_Gemm", kIgemm, kWrw, I "HIP_WRW_V4R4_PADDED_GEMM_XDLOPS",
        kDep),
    row(84, "ConvBinWinogradRxSf2x3g1", kWino, kAllDirs, W "WINOGRAD_RXS_F2X3_G1"),
    row(85, "ConvDirectNaiveConvFwd", kDirect, kFwd, D "NAIVE_CONV_FWD"),
    row(86, "ConvDirectNaiveConvBwd", kDirect, kBwd, D "NAIVE_CONV_BWD"),
    row(87, "ConvDirectNaiveConvWrw", kDirect, kWrw, D "NAIVE_CONV_WRW"),
    row(88, "GemmFwd1x1_0_1", kGemm, kFwd, ""),
    row(89, "GemmFwd1x1_0_1_int8", kGemm, kFwd, ""),
    row(90, "GemmFwd1x1_0_2", kGemm, kFwd, ""),
    row(91, "GemmFwdRest", kGemm, kFwd, ""),
    row(95, "GemmBwd1x1_stride2", kGemm, kBwd, ""),
    row(96, "GemmBwd1x1_stride1", kGemm, kBwd, ""),
    row(97, "GemmBwdRest", kGemm, kBwd, ""),
    row(98, "ConvMlirIgemmFwd", kIgemm, kFwd, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_FWD"),
    row(99, "ConvMlirIgemmBwd", kIgemm, kBwd, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_BWD"),
    row(100, "ConvMlirIgemmWrW", kIgemm, kWrw, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_WRW"),
    row(101, "GemmWrw1x1_stride1", kGemm, kWrw, ""),
    row(102, "GemmWrwUniversal", kGemm, kWrw, ""),
    row(103, "ConvMlirIgemmFwdXdlops", kIgemm, kFwd, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_FWD_XDLOPS"),
    row(104, "ConvMlirIgemmBwdXdlops", kIgemm, kBwd, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_BWD_XDLOPS"),
    row(105, "ConvMlirIgemmWrWXdlops", kIgemm, kWrw, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_WRW_XDLOPS"),
    row(107, "ConvAsmImplicitGemmGTCDynamicFwdXdlopsNHWC", kIgemm, kFwd, I "ASM_FWD_GTC_XDLOPS_NHWC"),
    row(108, "ConvAsmImplicitGemmGTCDynamicBwdXdlopsNHWC", kIgemm, kBwd, I "ASM_BWD_GTC_XDLOPS_NHWC"),
    row(110, "ConvAsmImplicitGemmGTCDynamicWrwXdlopsNHWC", kIgemm, kWrw, I "ASM_WRW_GTC_XDLOPS_NHWC"),
    row(114, "ConvCkIgemmFwdV6r1DlopsNchw", kIgemm, kFwd, "MIOPEN_DEBUG_CONV_CK_IGEMM_FWD_V6R1_DLOPS_NCHW",
        kDep | kOff),
    row(127, "ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC", kIgemm, kFwd, I "ASM_FWD_GTC_DLOPS_NCHWC"),
    row(128, "ConvHipImplicitGemmFwdXdlops", kIgemm, kFwd, I "HIP_FWD_XDLOPS"),
    row(129, "ConvHipImplicitGemmBwdXdlops", kIgemm, kBwd, I "HIP_BWD_XDLOPS"),
    row(137, "ConvHipImplicitGemmGroupFwdXdlops", kIgemm, kFwd,
        "MIOPEN_DEBUG_GROUP_CONV_IMPLICIT_GEMM_HIP_FWD_XDLOPS"),
    row(138, "ConvHipImplicitGemm3DGroupFwdXdlops", kIgemm, kFwd,
        "MIOPEN_DEBUG_3D_CONV_IMPLICIT_GEMM_HIP_FWD_XDLOPS"),
    row(139, "ConvWinoFuryRxS<2-3>", kWino, kFB, W "WINOGRAD_FURY_RXS_F2X3"),
    row(140, "ConvHipImplicitGemm3DGroupWrwXdlops", kIgemm, kWrw,
        "MIOPEN_DEBUG_3D_CONV_IMPLICIT_GEMM_HIP_WRW_XDLOPS"),
    row(141, "ConvHipImplicitGemm3DGroupBwdXdlops", kIgemm, kBwd,
        "MIOPEN_DEBUG_3D_CONV_IMPLICIT_GEMM_HIP_BWD_XDLOPS"),
    row(149, "ConvHipImplicitGemmF16F8F16FwdXdlops", kIgemm, kFwd,
        "MIOPEN_DEBUG_F16F8F16_CONV_IMPLICIT_GEMM_HIP_FWD_XDLOPS"),
    row(150, "ConvHipImplicitGemmF16F8F16BwdXdlops", kIgemm, kBwd,
        "MIOPEN_DEBUG_F16F8F16_CONV_IMPLICIT_GEMM_HIP_BWD_XDLOPS"),
    row(151, "ConvHipImplicitGemmF16F8F16WrwXdlops", kIgemm, kWrw,
        "MIOPEN_DEBUG_F16F8F16_CONV_IMPLICIT_GEMM_HIP_WRW_XDLOPS"),
    // The one inverted switch: =1 turns the solver off.
    row(155, "ConvHipImplicitGemmGroupBwdXdlops", kIgemm, kBwd, I "HIP_GROUP_BWD_XDLOPS", kInverted),
    row(156, "ConvHipImplicitGemmGroupWrwXdlops", kIgemm, kWrw,
        "MIOPEN_DEBUG_GROUP_CONV_IMPLICIT_GEMM_HIP_WRW_XDLOPS"),
};
#undef D
#undef W
#undef I

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// Devices on which MIOpen keeps deprecated solvers enabled (src/solver.cpp).
bool keeps_deprecated(const std::string& arch) {
  for (std::string_view p : {"gfx803", "gfx900", "gfx906", "gfx908", "gfx90a", "gfx103"}) {
    if (starts_with(arch, p)) return true;
  }
  return false;
}

// Reads a boolean switch; a malformed value is reported and treated as unset.
std::optional<bool> read_switch(const EnvLookup& env, std::string_view name, std::string* problem) {
  if (name.empty()) return std::nullopt;
  const auto value = env(std::string(name));
  if (!value) return std::nullopt;
  const auto parsed = parse_bool(*value);
  if (!parsed && problem != nullptr) {
    *problem = std::string(name) + "='" + *value + "' is not a value MIOpen accepts (it throws)";
  }
  return parsed;
}

}  // namespace

unsigned direction_bit(Direction d) {
  switch (d) {
    case Direction::fwd:
      return kFwd;
    case Direction::bwd_data:
      return kBwd;
    case Direction::bwd_weights:
      return kWrw;
  }
  return 0;
}

const std::vector<SolverSwitch>& solver_table() {
  static const std::vector<SolverSwitch> table(std::begin(kSolvers), std::end(kSolvers));
  return table;
}

const SolverSwitch* find_solver(int id) {
  for (const auto& s : solver_table()) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const SolverSwitch* find_solver_by_name(std::string_view name) {
  for (const auto& s : solver_table()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string family_variable(std::string_view family) {
  if (family == kGemm) return "MIOPEN_DEBUG_CONV_GEMM";
  if (family == kDirect) return "MIOPEN_DEBUG_CONV_DIRECT";
  if (family == kFft) return "MIOPEN_DEBUG_CONV_FFT";
  if (family == kWino) return "MIOPEN_DEBUG_CONV_WINOGRAD";
  if (family == kIgemm) return "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM";
  return {};
}

std::string family_of_algorithm(int algorithm) {
  switch (algorithm) {
    case 0:
      return std::string(kGemm);
    case 1:
      return std::string(kDirect);
    case 2:
      return std::string(kFft);
    case 3:
      return std::string(kWino);
    case 5:
      return std::string(kIgemm);
    default:
      return {};
  }
}

EnvAssignment disable_solver(const SolverSwitch& s, Direction dir) {
  EnvAssignment a;
  if (dir == Direction::bwd_weights && !s.wrw_variable.empty()) {
    a.variable = std::string(s.wrw_variable);
  } else {
    a.variable = std::string(s.variable);
  }
  if (a.variable.empty()) {
    a.variable = family_variable(s.family);
    a.family_wide = true;
  }
  a.inverted = s.inverted;
  a.value.assign(1, s.inverted ? '1' : '0');  // assign(count, char): GCC 12 -Wrestrict false positive
  return a;
}

std::optional<EnvAssignment> disable_family(std::string_view family) {
  const std::string var = family_variable(family);
  if (var.empty()) return std::nullopt;
  EnvAssignment a;
  a.variable = var;
  a.value.assign(1, '0');
  a.family_wide = true;
  return a;
}

std::optional<EnvAssignment> disable_candidate(const Candidate& c, Direction dir) {
  const SolverSwitch* s = nullptr;
  if (auto it = c.attrs.find("solver_id"); it != c.attrs.end()) {
    char* end = nullptr;
    const long id = std::strtol(it->second.c_str(), &end, 10);
    if (end != it->second.c_str() && *end == '\0') s = find_solver(static_cast<int>(id));
  }
  if (s == nullptr) {
    if (auto it = c.attrs.find("solver_name"); it != c.attrs.end()) s = find_solver_by_name(it->second);
  }
  if (s != nullptr) return disable_solver(*s, dir);
  return disable_family(c.family);
}

std::optional<bool> parse_bool(std::string_view value) {
  const std::string v = lower(value);
  if (v == "0" || v == "disable" || v == "disabled" || v == "no" || v == "off" || v == "false") return false;
  if (v == "1" || v == "enable" || v == "enabled" || v == "yes" || v == "on" || v == "true") return true;
  return std::nullopt;
}

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

bool solver_enabled(const SolverSwitch& s, Direction dir, const std::string& arch, const EnvLookup& env,
                    std::string* problem) {
  if ((s.dirs & direction_bit(dir)) == 0) return false;
  if (read_switch(env, family_variable(s.family), problem) == false) return false;
  if (s.deprecated && !keeps_deprecated(arch) &&
      read_switch(env, "MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS", problem) != true) {
    return false;
  }
  if (dir == Direction::bwd_weights && !s.wrw_variable.empty() &&
      read_switch(env, s.wrw_variable, problem) == false) {
    return false;
  }
  if (s.id == 15 && read_switch(env, "MIOPEN_DEBUG_AMD_WINOGRAD_RXS", problem) == false) return false;
  const auto own = read_switch(env, s.variable, problem);
  if (s.inverted) return own != true;
  const bool default_off = s.off_by_default || (s.off_on_gfx10_gfx11 &&
                                                (starts_with(arch, "gfx10") || starts_with(arch, "gfx11")));
  if (default_off) return own == true;
  return own != false;
}

std::vector<std::string> malformed_switches(const EnvLookup& env) {
  std::set<std::string> names = {"MIOPEN_DEBUG_ENABLE_DEPRECATED_SOLVERS", "MIOPEN_DEBUG_AMD_WINOGRAD_RXS",
                                 "MIOPEN_DEBUG_AMD_WINOGRAD_RXS_WRW"};
  for (const auto& s : solver_table()) {
    names.insert(family_variable(s.family));
    if (!s.variable.empty()) names.insert(std::string(s.variable));
  }
  std::vector<std::string> out;
  for (const auto& name : names) {
    std::string problem;
    (void)read_switch(env, name, &problem);
    if (!problem.empty()) out.push_back(problem);
  }
  return out;
}

}  // namespace convprobe::miopen
