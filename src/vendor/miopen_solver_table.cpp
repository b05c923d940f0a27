// The per-release table of MIOpen's convolution solvers: ids, names, variables, flags, and the releases each
// row exists in. Split from miopen_switches.cpp (the rules that read it).
#include <algorithm>
#include <iterator>

#include "vendor/miopen_switches.hpp"

namespace convprobe::miopen {
namespace {

constexpr MiopenVersion k52 = kMiopenRocm52, k57 = kMiopenRocm57, k62{3, 2, 0}, k7x = kMiopenRocm70;

constexpr std::string_view kGemm = "gemm", kDirect = "direct", kFft = "fft", kWino = "winograd",
                           kIgemm = "implicit_gemm";
constexpr unsigned kFB = kFwd | kBwd;

// Flags for the table rows below.
constexpr unsigned kDep = 1, kOff = 2, kOffGfx10 = 4, kInverted = 8, kDyn = 16;

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
  s.dynamic = (flags & kDyn) != 0;
  return s;
}

/// The MIOpen releases a row exists in: [first, until).
constexpr SolverSwitch in(SolverSwitch s, MiopenVersion first, MiopenVersion until = {}) {
  s.since = first;
  s.until = until;
  return s;
}

/// A row whose solver has a narrower variable for bwd-weights than for fwd/bwd-data (ConvBinWinogradRxS).
constexpr SolverSwitch with_wrw_variable(SolverSwitch s, std::string_view wrw_variable) {
  s.wrw_variable = wrw_variable;
  return s;
}

// Ids, names and variables: ../shared/FACTS.md §3 (MIOpen 2d1fd99 src/solver.cpp and the solvers' sources),
// existence per release from src/solver.cpp at rocm-5.2.0, rocm-5.7.0, rocm-6.2.0 and rocm-libraries (7.x)
// (kFirstIn / kGoneIn below). Dynamic: 5.2 src/include/miopen/solver.hpp (IsDynamic() -> true).
// A table, not code: one row per solver and release range, in id order.
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
    // 7.x reuses id 8 for a HIP port with its own variable (rocm-libraries projects/miopen src/solver.cpp,
    // src/solver/conv/conv_hip_dir2D11x11.cpp); not deprecated.
    in(row(8, "ConvHipDirectFwd11x11", kDirect, kFwd, D "HIP_FWD11X11"), k7x),
    row(9, "ConvOclDirectFwdGen", kDirect, kFwd, D "OCL_FWDGEN", kDep),
    row(11, "ConvOclDirectFwd", kDirect, kFB, D "OCL_FWD", kDep),
    row(13, "ConvOclDirectFwd1x1", kDirect, kFB, D "OCL_FWD1X1", kDep | kOffGfx10),
    row(14, "ConvBinWinograd3x3U", kWino, kFB, W "WINOGRAD_3X3", kDyn),
    with_wrw_variable(row(15, "ConvBinWinogradRxS", kWino, kAllDirs, W "WINOGRAD_RXS_FWD_BWD", kDyn),
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
    // And id 24 (src/solver/conv/conv_hip_dir2D_bwdWrW_53.cpp).
    in(row(24, "ConvHipBwdWrW53", kDirect, kWrw, D "HIP_WRW53"), k7x),
    row(25, "ConvOclBwdWrW1x1", kDirect, kWrw, D "OCL_WRW1X1", kDep | kOffGfx10),
    row(26, "ConvHipImplicitGemmV4R1Fwd", kIgemm, kFwd, I "HIP_FWD_V4R1", kDep),
    row(31, "ConvHipImplicitGemmV4R1WrW", kIgemm, kWrw, I "HIP_WRW_V4R1", kDep),
    row(34, "fft", kFft, kFB, ""),
    row(35, "ConvWinograd3x3MultipassWrW<3-4>", kWino, kWrw, W "WINOGRAD_MPASS_F3X4", kDyn),
    // 37 and 53 are ConvBinWinogradRxSf3x2 / RxSf2x3 in 5.2 (rocm-5.2.0 src/solver.cpp:306,336); 5.7 renamed
    // the classes, and the find-db and the logs use the class name.
    in(row(37, "ConvBinWinogradRxSf3x2", kWino, kAllDirs, W "WINOGRAD_RXS_F3X2", kDyn), k52, k57),
    in(row(37, "ConvBinWinoRxS<3-2>", kWino, kAllDirs, W "WINOGRAD_RXS_F3X2", kDyn), k57),
    row(38, "ConvWinograd3x3MultipassWrW<3-5>", kWino, kWrw, W "WINOGRAD_MPASS_F3X5", kDyn),
    row(39, "ConvWinograd3x3MultipassWrW<3-6>", kWino, kWrw, W "WINOGRAD_MPASS_F3X6", kDyn),
    row(40, "ConvWinograd3x3MultipassWrW<3-2>", kWino, kWrw, W "WINOGRAD_MPASS_F3X2", kDyn),
    row(41, "ConvWinograd3x3MultipassWrW<3-3>", kWino, kWrw, W "WINOGRAD_MPASS_F3X3", kDyn),
    row(42, "ConvWinograd3x3MultipassWrW<7-2>", kWino, kWrw, W "WINOGRAD_MPASS_F7X2", kDyn),
    row(43, "ConvWinograd3x3MultipassWrW<7-3>", kWino, kWrw, W "WINOGRAD_MPASS_F7X3", kDyn),
    row(44, "ConvWinograd3x3MultipassWrW<7-2-1-1>", kWino, kWrw, W "WINOGRAD_MPASS_F7X2", kDyn),
    row(45, "ConvWinograd3x3MultipassWrW<7-3-1-1>", kWino, kWrw, W "WINOGRAD_MPASS_F7X3", kDyn),
    row(46, "ConvWinograd3x3MultipassWrW<1-1-7-2>", kWino, kWrw, W "WINOGRAD_MPASS_F7X2", kDyn),
    row(47, "ConvWinograd3x3MultipassWrW<1-1-7-3>", kWino, kWrw, W "WINOGRAD_MPASS_F7X3", kDyn),
    row(48, "ConvWinograd3x3MultipassWrW<5-3>", kWino, kWrw, W "WINOGRAD_MPASS_F5X3", kDyn),
    row(49, "ConvWinograd3x3MultipassWrW<5-4>", kWino, kWrw, W "WINOGRAD_MPASS_F5X4", kDyn),
    in(row(53, "ConvBinWinogradRxSf2x3", kWino, kAllDirs, W "WINOGRAD_RXS_F2X3", kDyn), k52, k57),
    in(row(53, "ConvBinWinoRxS<2-3>", kWino, kAllDirs, W "WINOGRAD_RXS_F2X3", kDyn), k57),
    row(54, "ConvHipImplicitGemmV4R4Fwd", kIgemm, kFwd, I "HIP_FWD_V4R4", kDep),
    row(55, "ConvHipImplicitGemmBwdDataV1R1", kIgemm, kBwd, I "HIP_BWD_V1R1", kDep),
    row(56, "ConvHipImplicitGemmBwdDataV4R1", kIgemm, kBwd, I "HIP_BWD_V4R1", kDep | kOff),
    row(57, "ConvHipImplicitGemmBwdDataV1R1Xdlops", kIgemm, kBwd, I "HIP_BWD_V1R1_XDLOPS", kDep | kOff),
    row(60, "ConvHipImplicitGemmBwdDataV4R1Xdlops", kIgemm, kBwd, I "HIP_BWD_V4R1_XDLOPS", kDep),
    row(61, "ConvHipImplicitGemmV4R4WrW", kIgemm, kWrw, I "HIP_WRW_V4R4", kDep),
    row(62, "ConvAsmImplicitGemmV4R1DynamicFwd", kIgemm, kFwd, I "ASM_FWD_V4R1", kDyn),
    row(63, "ConvAsmImplicitGemmV4R1DynamicFwd_1x1", kIgemm, kFwd, I "ASM_FWD_V4R1_1X1", kDyn),
    row(64, "ConvHipImplicitGemmForwardV4R4Xdlops", kIgemm, kFwd, I "HIP_FWD_V4R4_XDLOPS", kDep),
    row(65, "ConvAsmImplicitGemmV4R1DynamicBwd", kIgemm, kBwd, I "ASM_BWD_V4R1", kDyn),
    row(66, "ConvAsmImplicitGemmV4R1DynamicWrw", kIgemm, kWrw, I "ASM_WRW_V4R1", kDyn),
    row(67, "ConvMPBidirectWinograd<2-3>", kWino, kFB, W "MP_BD_WINOGRAD_F2X3", kOff | kDyn),
    row(68, "ConvMPBidirectWinograd<3-3>", kWino, kFB, W "MP_BD_WINOGRAD_F3X3", kOff | kDyn),
    row(69, "ConvMPBidirectWinograd<4-3>", kWino, kFB, W "MP_BD_WINOGRAD_F4X3", kOff | kDyn),
    row(70, "ConvMPBidirectWinograd<5-3>", kWino, kFB, W "MP_BD_WINOGRAD_F5X3", kOff | kDyn),
    row(71, "ConvMPBidirectWinograd<6-3>", kWino, kFB, W "MP_BD_WINOGRAD_F6X3", kOff | kDyn),
    row(72, "ConvAsmImplicitGemmGTCDynamicWrwXdlops", kIgemm, kWrw, I "ASM_WRW_GTC_XDLOPS", kDyn),
    row(73, "ConvHipImplicitGemmWrwV4R4Xdlops", kIgemm, kWrw, I "HIP_WRW_V4R4_XDLOPS", kDep),
    row(74, "ConvAsmImplicitGemmGTCDynamicFwdXdlops", kIgemm, kFwd, I "ASM_FWD_GTC_XDLOPS", kDyn),
    row(75, "ConvMPBidirectWinograd_xdlops<2-3>", kWino, kFB, W "MP_BD_XDLOPS_WINOGRAD_F2X3", kOff | kDyn),
    row(76, "ConvMPBidirectWinograd_xdlops<3-3>", kWino, kFB, W "MP_BD_XDLOPS_WINOGRAD_F3X3", kOff | kDyn),
    row(77, "ConvMPBidirectWinograd_xdlops<4-3>", kWino, kFB, W "MP_BD_XDLOPS_WINOGRAD_F4X3", kOff | kDyn),
    row(78, "ConvMPBidirectWinograd_xdlops<5-3>", kWino, kFB, W "MP_BD_XDLOPS_WINOGRAD_F5X3", kOff | kDyn),
    row(79, "ConvMPBidirectWinograd_xdlops<6-3>", kWino, kFB, W "MP_BD_XDLOPS_WINOGRAD_F6X3", kOff | kDyn),
    row(80, "ConvHipImplicitGemmForwardV4R5Xdlops", kIgemm, kFwd, I "HIP_FWD_V4R5_XDLOPS", kDep),
    row(81, "ConvHipImplicitGemmForwardV4R4Xdlops_Padded_Gemm", kIgemm, kFwd,
        I "HIP_FWD_V4R4_PADDED_GEMM_XDLOPS", kDep),
    row(82, "ConvAsmImplicitGemmGTCDynamicBwdXdlops", kIgemm, kBwd, I "ASM_BWD_GTC_XDLOPS", kDyn),
    row(83, "ConvHipImplicitGemmWrwV4R4Xdlops_Padded_Gemm", kIgemm, kWrw, I "HIP_WRW_V4R4_PADDED_GEMM_XDLOPS",
        kDep),
    row(84, "ConvBinWinogradRxSf2x3g1", kWino, kAllDirs, W "WINOGRAD_RXS_F2X3_G1", kDyn),
    row(85, "ConvDirectNaiveConvFwd", kDirect, kFwd, D "NAIVE_CONV_FWD", kDyn),
    row(86, "ConvDirectNaiveConvBwd", kDirect, kBwd, D "NAIVE_CONV_BWD", kDyn),
    row(87, "ConvDirectNaiveConvWrw", kDirect, kWrw, D "NAIVE_CONV_WRW", kDyn),
    row(88, "GemmFwd1x1_0_1", kGemm, kFwd, "", kDyn),
    row(89, "GemmFwd1x1_0_1_int8", kGemm, kFwd, "", kDyn),
    row(90, "GemmFwd1x1_0_2", kGemm, kFwd, "", kDyn),
    row(91, "GemmFwdRest", kGemm, kFwd, "", kDyn),
    row(95, "GemmBwd1x1_stride2", kGemm, kBwd, "", kDyn),
    row(96, "GemmBwd1x1_stride1", kGemm, kBwd, "", kDyn),
    row(97, "GemmBwdRest", kGemm, kBwd, "", kDyn),
    row(98, "ConvMlirIgemmFwd", kIgemm, kFwd, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_FWD"),
    row(99, "ConvMlirIgemmBwd", kIgemm, kBwd, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_BWD"),
    row(100, "ConvMlirIgemmWrW", kIgemm, kWrw, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_WRW"),
    row(101, "GemmWrw1x1_stride1", kGemm, kWrw, "", kDyn),
    row(102, "GemmWrwUniversal", kGemm, kWrw, "", kDyn),
    row(103, "ConvMlirIgemmFwdXdlops", kIgemm, kFwd, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_FWD_XDLOPS"),
    row(104, "ConvMlirIgemmBwdXdlops", kIgemm, kBwd, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_BWD_XDLOPS"),
    row(105, "ConvMlirIgemmWrWXdlops", kIgemm, kWrw, "MIOPEN_DEBUG_CONV_MLIR_IGEMM_WRW_XDLOPS"),
    row(107, "ConvAsmImplicitGemmGTCDynamicFwdXdlopsNHWC", kIgemm, kFwd, I "ASM_FWD_GTC_XDLOPS_NHWC", kDyn),
    row(108, "ConvAsmImplicitGemmGTCDynamicBwdXdlopsNHWC", kIgemm, kBwd, I "ASM_BWD_GTC_XDLOPS_NHWC", kDyn),
    row(110, "ConvAsmImplicitGemmGTCDynamicWrwXdlopsNHWC", kIgemm, kWrw, I "ASM_WRW_GTC_XDLOPS_NHWC", kDyn),
    row(114, "ConvCkIgemmFwdV6r1DlopsNchw", kIgemm, kFwd, "MIOPEN_DEBUG_CONV_CK_IGEMM_FWD_V6R1_DLOPS_NCHW",
        kDep | kOff | kDyn),
    row(127, "ConvAsmImplicitGemmGTCDynamicFwdDlopsNCHWC", kIgemm, kFwd, I "ASM_FWD_GTC_DLOPS_NCHWC", kDyn),
    row(128, "ConvHipImplicitGemmFwdXdlops", kIgemm, kFwd, I "HIP_FWD_XDLOPS"),
    row(129, "ConvHipImplicitGemmBwdXdlops", kIgemm, kBwd, I "HIP_BWD_XDLOPS"),
    row(137, "ConvHipImplicitGemmGroupFwdXdlops", kIgemm, kFwd,
        "MIOPEN_DEBUG_GROUP_CONV_IMPLICIT_GEMM_HIP_FWD_XDLOPS"),
    row(138, "ConvHipImplicitGemm3DGroupFwdXdlops", kIgemm, kFwd,
        "MIOPEN_DEBUG_3D_CONV_IMPLICIT_GEMM_HIP_FWD_XDLOPS"),
    row(139, "ConvWinoFuryRxS<2-3>", kWino, kFB, W "WINOGRAD_FURY_RXS_F2X3", kDyn),
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
    // New in 7.x (appended registrations; the audit counted 180-217). Their own variables were not checked:
    // the family switch reaches them. Ids the table lacks are discovered at run time (solver_listing.cpp).
    in(row(185, "ConvDepthwiseFwd2D", kDirect, kFwd, ""), k7x),
    in(row(217, "ConvHipDirectFwd", kDirect, kFwd, ""), k7x),
};
#undef D
#undef W
#undef I

// Ids that appeared after 5.2 (absent at rocm-5.2.0, present at rocm-5.7.0 / rocm-6.2.0; 6.0 and 6.1 were not
// checked, discovery covers them) and ids 7.x removed ("++id; // removed …" in rocm-libraries
// src/solver.cpp).
struct Appeared {
  int id;
  MiopenVersion first;
};
constexpr Appeared kFirstIn[] = {{127, k57}, {128, k57}, {129, k57}, {137, k57}, {138, k62},
                                 {139, k62}, {140, k62}, {141, k62}, {149, k62}, {150, k62},
                                 {151, k62}, {155, k62}, {156, k62}};
constexpr int kGoneIn7x[] = {8, 9, 11, 13, 18, 19, 20, 21, 22, 23, 24, 25, 128, 129, 149, 150, 151};

// A row without an explicit range exists from 5.2 on, unless kFirstIn / kGoneIn7x say otherwise.
SolverSwitch with_range(SolverSwitch s) {
  if (s.since.known()) return s;
  s.since = k52;
  for (const auto& a : kFirstIn) {
    if (a.id == s.id) s.since = a.first;
  }
  if (std::find(std::begin(kGoneIn7x), std::end(kGoneIn7x), s.id) != std::end(kGoneIn7x)) s.until = k7x;
  return s;
}

}  // namespace

const std::vector<SolverSwitch>& solver_table() {
  static const std::vector<SolverSwitch> table = [] {
    std::vector<SolverSwitch> t;
    for (const auto& s : kSolvers) t.push_back(with_range(s));
    return t;
  }();
  return table;
}

std::vector<const SolverSwitch*> solver_table(MiopenVersion v) {
  std::vector<const SolverSwitch*> out;
  for (const auto& s : solver_table()) {
    if (s.exists_in(v)) out.push_back(&s);
  }
  return out;
}

const SolverSwitch* find_solver(int id) {
  for (const auto& s : solver_table()) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const SolverSwitch* find_solver(int id, MiopenVersion v) {
  for (const auto& s : solver_table()) {
    if (s.id == id && s.exists_in(v)) return &s;
  }
  return nullptr;
}

const SolverSwitch* find_solver_by_name(std::string_view name) {
  for (const auto& s : solver_table()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace convprobe::miopen
