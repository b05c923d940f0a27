#include "double_registry.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>

namespace convprobe_double {
namespace {

using convprobe::Direction;
using convprobe::Problem;

constexpr unsigned F = 1, B = 2, W = 4;

std::optional<bool> parse_bool(const char* raw, bool* malformed) {
  std::string v(raw);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  if (v == "0" || v == "no" || v == "off" || v == "false" || v == "disable" || v == "disabled") return false;
  if (v == "1" || v == "yes" || v == "on" || v == "true" || v == "enable" || v == "enabled") return true;
  *malformed = true;
  return std::nullopt;
}

bool is_2d(const Problem& p) { return p.spatial_dims == 2; }
bool k(const Problem& p, int r) { return p.kernel[1] == r && p.kernel[2] == r; }
bool unit_stride(const Problem& p) { return p.stride[1] == 1 && p.stride[2] == 1; }
bool no_dilation(const Problem& p) { return p.dilation[1] == 0 && p.dilation[2] == 0; }
bool no_pad(const Problem& p) { return p.pad_begin[1] == 0 && p.pad_begin[2] == 0; }
bool plain_1x1(const Problem& p) { return is_2d(p) && k(p, 1) && unit_stride(p) && no_pad(p) && p.g == 1; }
bool wino_3x3(const Problem& p) {
  return is_2d(p) && k(p, 3) && unit_stride(p) && no_dilation(p) && p.g == 1;
}

Env read_env() {
  Env e;
  const std::pair<Algo, const char*> families[] = {{kGemm, "MIOPEN_DEBUG_CONV_GEMM"},
                                                   {kDirect, "MIOPEN_DEBUG_CONV_DIRECT"},
                                                   {kFft, "MIOPEN_DEBUG_CONV_FFT"},
                                                   {kWinograd, "MIOPEN_DEBUG_CONV_WINOGRAD"},
                                                   {kImplicitGemm, "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM"}};
  for (const auto& [algo, name] : families) {
    if (const char* v = std::getenv(name)) {
      bool bad = false;
      e.family_enabled[algo] = parse_bool(v, &bad).value_or(true);
      if (bad) e.bool_error = std::string(name) + "=" + v;
    }
  }
  for (const auto& s : registry()) {
    if (s.env == nullptr) continue;
    if (const char* v = std::getenv(s.env)) {
      bool bad = false;
      (void)parse_bool(v, &bad);
      if (bad) e.bool_error = std::string(s.env) + "=" + v;
    }
  }
  if (const char* v = std::getenv("MIOPEN_DEBUG_FIND_ONLY_SOLVER"); v != nullptr && *v != '\0') {
    std::string list(v);
    size_t start = 0;
    while (start <= list.size()) {
      size_t end = std::min(list.find(';', start), list.size());
      const std::string item = list.substr(start, end - start);
      char* stop = nullptr;
      const unsigned long id = std::strtoul(item.c_str(), &stop, 10);
      const Solver* s = (stop != item.c_str() && *stop == '\0') ? find(id) : find(item);
      if (s == nullptr) {
        e.find_only_error = "Invalid value of MIOPEN_DEBUG_FIND_ONLY_SOLVER: " + item;
      } else {
        e.find_only.push_back(s->id);
      }
      start = end + 1;
    }
  }
  return e;
}

}  // namespace

const std::vector<Solver>& registry() {
  using M = Misbehaviour;
  static const std::vector<Solver> r = {
      {25, "ConvOclBwdWrW1x1", kDirect, W, "MIOPEN_DEBUG_CONV_DIRECT_OCL_WRW1X1", true, true,
       M::wrong_numbers},
      {34, "fft", kFft, F | B, nullptr, false, true, M::none},
      {53, "ConvBinWinoRxS<2-3>", kWinograd, F | B | W, "MIOPEN_DEBUG_AMD_WINOGRAD_RXS_F2X3", true, true,
       M::none},
      {62, "ConvAsmImplicitGemmV4R1DynamicFwd", kImplicitGemm, F,
       "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_ASM_FWD_V4R1", true, true, M::none},
      {65, "ConvAsmImplicitGemmV4R1DynamicBwd", kImplicitGemm, B,
       "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_ASM_BWD_V4R1", true, true, M::none},
      {66, "ConvAsmImplicitGemmV4R1DynamicWrw", kImplicitGemm, W,
       "MIOPEN_DEBUG_CONV_IMPLICIT_GEMM_ASM_WRW_V4R1", true, true, M::none},
      {85, "ConvDirectNaiveConvFwd", kDirect, F, "MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_FWD", true, false,
       M::none},
      {86, "ConvDirectNaiveConvBwd", kDirect, B, "MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_BWD", true, false,
       M::none},
      {87, "ConvDirectNaiveConvWrw", kDirect, W, "MIOPEN_DEBUG_CONV_DIRECT_NAIVE_CONV_WRW", true, false,
       M::none},
      {88, "GemmFwd1x1_0_1", kGemm, F, nullptr, false, true, M::hang_above_42},
      {91, "GemmFwdRest", kGemm, F, nullptr, false, true, M::hang_above_42},
      {96, "GemmBwd1x1_stride1", kGemm, B, nullptr, false, true, M::hang_above_42},
      {97, "GemmBwdRest", kGemm, B, nullptr, false, true, M::segv_above_batch_2},
      {101, "GemmWrw1x1_stride1", kGemm, W, nullptr, false, true, M::hang_above_42},
      {102, "GemmWrwUniversal", kGemm, W, nullptr, false, true, M::hang_above_42},
      {139, "ConvWinoFuryRxS<2-3>", kWinograd, F | B, "MIOPEN_DEBUG_AMD_WINOGRAD_FURY_RXS_F2X3", true, false,
       M::fury_timer},
  };
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

const Env& env() {
  static const Env e = read_env();
  return e;
}

bool switch_enabled(const char* name) {
  if (name == nullptr) return true;
  const char* v = std::getenv(name);
  bool bad = false;
  return v == nullptr || parse_bool(v, &bad).value_or(true);
}

bool applicable(const Solver& s, const Problem& p) {
  const unsigned bit = p.dir == Direction::fwd ? F : p.dir == Direction::bwd_data ? B : W;
  if ((s.dirs & bit) == 0 || !switch_enabled(s.env)) return false;
  if (p.type == convprobe::DataType::tf32) return false;
  switch (s.id) {
    case 25:
      return plain_1x1(p);
    case 34:
      return is_2d(p) && p.g == 1 && unit_stride(p) && no_dilation(p) && p.kernel[1] >= 3 &&
             p.type == convprobe::DataType::f32;
    case 53:
    case 139:
      return wino_3x3(p) && p.type != convprobe::DataType::bf16;
    case 62:
    case 65:
    case 66:
      return is_2d(p) && p.g == 1 && no_dilation(p);
    case 85:
    case 86:
    case 87:
      return true;
    case 88:
    case 96:
    case 101:
      return plain_1x1(p);
    case 91:
    case 97:
    case 102:
      return is_2d(p) && !plain_1x1(p);
    default:
      return false;
  }
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
