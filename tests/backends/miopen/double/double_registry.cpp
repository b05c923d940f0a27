#include "double_registry.hpp"

#include <algorithm>

#include "double_env.hpp"

namespace convprobe_double {
namespace {

using convprobe::Direction;
using convprobe::Problem;
using M = Misbehaviour;

constexpr unsigned F = 1, B = 2, W = 4;
constexpr Release R52 = Release::rocm52, R57 = Release::rocm57, R6 = Release::rocm6x, R7 = Release::rocm7x;
constexpr auto kStill = static_cast<Release>(4);
constexpr unsigned kDyn = kDynamic, kDep = kDeprecated, kWs = kMayNeedWs;

// Ids and names: `RegisterWithSolver(registry, ++id, …)` in src/solver.cpp at rocm-5.2.0, rocm-5.7.0,
// rocm-6.2.0 (counted) and ROCm/rocm-libraries projects/miopen (7.x: "++id; // removed …" lines for 9, 11,
// 13, 18-23, 25; ConvHipDirectFwd11x11 at id 8 and ConvHipBwdWrW53 at id 24; 128/129 and 149-151 removed; new
// solvers appended, 185 ConvDepthwiseFwd2D, 217 ConvHipDirectFwd).
// Dynamic: 5.2 src/include/miopen/solver.hpp, only ASM iGEMM V4R1/GTC, the BinWinograd RxS family, naive and
// GEMM override IsDynamic() -> true. WTI: only ConvBinWinogradRxSf2x3 / f2x3g1, the naive solvers (0.01) and
// GEMM implement GetWti in 5.2 (solver.hpp:2656-2933); the same set in 5.7, Fury added by 6.2 (grep GetWti).
// Deprecated (>= 5.7 only): the project's kDep rows, 5.7 src/solver.cpp:567. Default-off on gfx10: 13 and
// 25 (5.2 conv_ocl_dir2D1x1.cpp / conv_ocl_dir2D_bwdWrW_1x1.cpp; develop adds gfx11).
const Solver kSolvers[] = {
    {1, "ConvAsm3x3U", kDirect, F | B, "MIOPEN_DEBUG_CONV_DIRECT_ASM_3X3U", kDep, -1, R52, kStill, M::none},
    {2, "ConvAsm1x1U", kDirect, F | B, "MIOPEN_DEBUG_CONV_DIRECT_ASM_1X1U", kDep | kWs, -1, R52, kStill,
     M::none},
    {8, "ConvOclDirectFwd11x11", kDirect, F | B, "MIOPEN_DEBUG_CONV_DIRECT_OCL_FWD11X11", kDep, -1, R52, R7,
     M::none},
    // The reused id: a HIP port with a new variable (rocm-libraries src/solver/conv/conv_hip_dir2D11x11.cpp).
    {8, "ConvHipDirectFwd11x11", kDirect, F, "MIOPEN_DEBUG_CONV_DIRECT_HIP_FWD11X11", 0, -1, R7, kStill,
     M::none},
    {11, "ConvOclDirectFwd", kDirect, F | B, "MIOPEN_DEBUG_CONV_DIRECT_OCL_FWD", kDep, -1, R52, R7, M::none},
    {13, "ConvOclDirectFwd1x1", kDirect, F | B, "MIOPEN_DEBUG_CONV_DIRECT_OCL_FWD1X1", kDep | kOffOnGfx10, -1,
     R52, R7, M::none},
    {16, "ConvAsmBwdWrW3x3", kDirect, W, "MIOPEN_DEBUG_CONV_DIRECT_ASM_WRW3X3", kDep, -1, R52, kStill,
     M::none},
    {17, "ConvAsmBwdWrW1x1", kDirect, W, "MIOPEN_DEBUG_CONV_DIRECT_ASM_WRW1X1", kDep | kWs, -1, R52, kStill,
     M::wrong_numbers},
    {24, "ConvOclBwdWrW53", kDirect, W, "MIOPEN_DEBUG_CONV_DIRECT_OCL_WRW53", kDep | kWs, -1, R52, R7,
     M::none},
    // The other reused id (rocm-libraries src/solver/conv/conv_hip_dir2D_bwdWrW_53.cpp).
    {24, "ConvHipBwdWrW53", kDirect, W, "MIOPEN_DEBUG_CONV_DIRECT_HIP_WRW53", kWs, -1, R7, kStill, M::none},
    {25, "ConvOclBwdWrW1x1", kDirect, W, "MIOPEN_DEBUG_CONV_DIRECT_OCL_WRW1X1", kDep | kOffOnGfx10 | kWs, -1,
     R52, R7, M::none},
    {26, "ConvHipImplicitGemmV4R1Fwd", kImplicitGemm, F, "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_HIP_FWD_V4R1",
     kDep | kWs, -1, R52, kStill, M::none},
    {34, "fft", kFft, F | B, nullptr, kWs, -1, R52, kStill, M::none},
    // 5.2 names 53 ConvBinWinogradRxSf2x3 (rocm-5.2.0 src/solver.cpp:336); 5.7 renamed the class
    // ConvBinWinoRxS<2,3>.
    {53, "ConvBinWinogradRxSf2x3", kWinograd, F | B | W, "MIOPEN_DEBUG_AMD_WINOGRAD_RXS_F2X3", kDyn | kWs,
     0.3f, R52, R57, M::none},
    {53, "ConvBinWinoRxS<2-3>", kWinograd, F | B | W, "MIOPEN_DEBUG_AMD_WINOGRAD_RXS_F2X3", kDyn | kWs, 0.3f,
     R57, kStill, M::none},
    {62, "ConvAsmImplicitGemmV4R1DynamicFwd", kImplicitGemm, F,
     "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_ASM_FWD_V4R1", kDyn | kWs, -1, R52, kStill, M::none},
    {65, "ConvAsmImplicitGemmV4R1DynamicBwd", kImplicitGemm, B,
     "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_ASM_BWD_V4R1", kDyn | kWs, -1, R52, kStill, M::none},
    {66, "ConvAsmImplicitGemmV4R1DynamicWrw", kImplicitGemm, W,
     "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_ASM_WRW_V4R1", kDyn | kWs, -1, R52, kStill, M::none},
    {84, "ConvBinWinogradRxSf2x3g1", kWinograd, F | B | W, "MIOPEN_DEBUG_AMD_WINOGRAD_RXS_F2X3_G1", kDyn,
     0.25f, R52, kStill, M::timer_backwards},
    {85, "ConvDirectNaiveConvFwd", kDirect, F, "MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_FWD", kDyn, 0.01f, R52,
     kStill, M::none},
    {86, "ConvDirectNaiveConvBwd", kDirect, B, "MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_BWD", kDyn, 0.01f, R52,
     kStill, M::none},
    {87, "ConvDirectNaiveConvWrw", kDirect, W, "MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_WRW", kDyn, 0.01f, R52,
     kStill, M::none},
    {88, "GemmFwd1x1_0_1", kGemm, F, nullptr, kDyn | kWs, 0.1f, R52, kStill, M::hang_above_42},
    {91, "GemmFwdRest", kGemm, F, nullptr, kDyn | kWs, 0.1f, R52, kStill, M::hang_above_42},
    {96, "GemmBwd1x1_stride1", kGemm, B, nullptr, kDyn | kWs, 0.1f, R52, kStill, M::hang_above_42},
    {97, "GemmBwdRest", kGemm, B, nullptr, kDyn | kWs, 0.1f, R52, kStill, M::segv_above_batch_2},
    {101, "GemmWrw1x1_stride1", kGemm, W, nullptr, kDyn | kWs, 0.1f, R52, kStill, M::hang_above_42},
    {102, "GemmWrwUniversal", kGemm, W, nullptr, kDyn | kWs, 0.1f, R52, kStill, M::hang_above_42},
    // gfx11 only in MIOpen: never applicable on the double's gfx1010, there to be registered (6.2 on).
    {139, "ConvWinoFuryRxS<2-3>", kWinograd, F | B, "MIOPEN_DEBUG_AMD_WINOGRAD_FURY_RXS_F2X3", kDyn, 0.5f, R6,
     kStill, M::none},
    {185, "ConvDepthwiseFwd2D", kDirect, F, nullptr, 0, -1, R7, kStill, M::none},
    {217, "ConvHipDirectFwd", kDirect, F, nullptr, 0, -1, R7, kStill, M::none},
};

bool is_2d(const Problem& p) { return p.spatial_dims == 2; }
bool k(const Problem& p, int r) { return p.kernel[1] == r && p.kernel[2] == r; }
bool unit_stride(const Problem& p) { return p.stride[1] == 1 && p.stride[2] == 1; }
bool no_dilation(const Problem& p) { return p.dilation[1] == 0 && p.dilation[2] == 0; }
bool no_pad(const Problem& p) { return p.pad_begin[1] == 0 && p.pad_begin[2] == 0; }
bool plain_1x1(const Problem& p) { return is_2d(p) && k(p, 1) && unit_stride(p) && no_pad(p) && p.g == 1; }
bool wino_3x3(const Problem& p) {
  return is_2d(p) && k(p, 3) && unit_stride(p) && no_dilation(p) && p.g == 1 &&
         p.type != convprobe::DataType::bf16;
}
bool direct_2d(const Problem& p) { return is_2d(p) && p.g == 1 && no_dilation(p); }
bool small_unit(const Problem& p) {
  return direct_2d(p) && unit_stride(p) && p.kernel[1] <= 5 && p.kernel[2] <= 5;
}

}  // namespace

// The double's shape rules, by id (the same rule for both holders of a reused id).
bool shape_fits(const Solver& s, const Problem& p) {
  switch (s.id) {
    case 1:
    case 16:
      return direct_2d(p) && k(p, 3) && unit_stride(p);
    case 2:
    case 13:
    case 17:
    case 25:
    case 88:
    case 96:
    case 101:
      return plain_1x1(p);
    case 8:
      return direct_2d(p) && k(p, 11) && p.stride[1] == 4 && p.stride[2] == 4;
    case 11:
    case 217:
      return direct_2d(p) && p.type != convprobe::DataType::bf16;
    case 24:
      return small_unit(p);
    case 26:
      return direct_2d(p) && p.type == convprobe::DataType::f32;
    case 34:
      return direct_2d(p) && unit_stride(p) && p.kernel[1] >= 3 && p.type == convprobe::DataType::f32;
    case 53:
    case 84:
      return wino_3x3(p);
    case 62:
    case 65:
    case 66:
      return direct_2d(p);
    case 85:
    case 86:
    case 87:
      return true;
    case 91:
    case 97:
    case 102:
      return is_2d(p) && !plain_1x1(p);
    case 185:
      return is_2d(p) && p.g > 1 && p.g == p.ic && p.g == p.oc;
    default:
      return false;  // 139: gfx11 only
  }
}

namespace {

// Deprecated solvers stay on for these archs (5.7 src/solver.cpp:567-580; the double's device is gfx1010).
bool arch_keeps_deprecated() {
  for (const char* a : {"gfx803", "gfx900", "gfx906", "gfx908", "gfx90a", "gfx103"}) {
    if (std::string(kDeviceArch).rfind(a, 0) == 0) return true;
  }
  return false;
}

std::vector<Solver> registered_now() {
  std::vector<Solver> out;
  const int now = static_cast<int>(version().release);
  for (const auto& s : kSolvers) {
    if (static_cast<int>(s.since) <= now && now < static_cast<int>(s.until)) out.push_back(s);
  }
  return out;
}

}  // namespace

const std::vector<Solver>& registry() {
  static const std::vector<Solver> r = registered_now();
  return r;
}

const Solver* find(uint64_t id) {
  for (const auto& s : registry()) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

const Solver* find(const std::string& name) {
  for (const auto& s : registry()) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

bool serves(const Solver& s, Direction d) {
  const unsigned bit = d == Direction::fwd ? F : d == Direction::bwd_data ? B : W;
  return (s.dirs & bit) != 0;
}

bool applicable(const Solver& s, const Problem& p) {
  if (!serves(s, p.dir) || p.type == convprobe::DataType::tf32) return false;
  if ((s.flags & kOffOnGfx10) != 0 ? !switch_turned_on(s.env) : !switch_enabled(s.env)) return false;
  if ((s.flags & kDeprecated) != 0 && at_least(Release::rocm57) && !arch_keeps_deprecated() &&
      !env().enable_deprecated) {
    return false;
  }
  return shape_fits(s, p);
}

size_t workspace_bytes(const Solver& s, const Problem& p) {
  const auto out = p.out();
  const size_t elem = static_cast<size_t>(convprobe::element_size(p.type));
  // im2col-style buffers for the GEMM "Rest" solvers, a tile buffer for FFT; the others need none.
  if (s.id == 91 || s.id == 97 || s.id == 102) {
    return static_cast<size_t>(p.ic / p.g * p.kernel[1] * p.kernel[2] * out[1] * out[2]) * elem;
  }
  if (s.id == 34) return static_cast<size_t>(p.mb * (p.ic + p.oc) * (p.in[1] + 8) * (p.in[2] + 8)) * elem * 2;
  return 0;
}

}  // namespace convprobe_double
