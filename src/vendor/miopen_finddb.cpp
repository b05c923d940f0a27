#include "vendor/miopen_finddb.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace convprobe::miopen {

namespace {

/// "2.17.0" -> {2, 17, 0}: three non-negative numbers and nothing else.
bool parse_three_numbers(std::string_view text, Version* out) {
  int parts[3] = {0, 0, 0};
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (p == end || *p != '.') return false;
      ++p;
    }
    const auto [next, ec] = std::from_chars(p, end, parts[i]);
    if (ec != std::errc() || next == p || parts[i] < 0) return false;
    p = next;
  }
  if (p != end) return false;
  *out = Version{parts[0], parts[1], parts[2]};
  return true;
}

/// The extents of the spatial axes MIOpen sees: D, H, W for 3-D, else H, W (a 1-D problem runs as 2-D with
/// H = 1, as the MIOpen backend gives it to MIOpen: backends/miopen/descriptors.cpp).
std::string spatial(const std::array<int64_t, 3>& v, int dims, char sep, int64_t add = 0) {
  std::string out;
  for (int a = 3 - dims; a < 3; ++a)
    out += fmt::format("{}{}", out.empty() ? "" : std::string(1, sep), v[a] + add);
  return out;
}

std::string_view type_token(DataType t) {
  switch (t) {
    case DataType::f32:
      return "FP32";
    case DataType::f16:
      return "FP16";
    case DataType::bf16:
      return "BF16";
    case DataType::tf32:
      break;
  }
  return {};
}

/// One token when every tensor is NCHW / NCDHW, else one per tensor (in, weights, out): 5.2
/// problem_description.cpp:67-75. convprobe's weights follow the activations' layout.
std::string layout_token(Layout l, int dims) {
  if (l == Layout::nchw) return dims == 3 ? "NCDHW" : "NCHW";
  const std::string one = dims == 3 ? "NDHWC" : "NHWC";
  return one + "-" + one + "-" + one;
}

std::string_view direction_letter(Direction d) {
  switch (d) {
    case Direction::fwd:
      return "F";
    case Direction::bwd_data:
      return "B";
    case Direction::bwd_weights:
      return "W";
  }
  return {};
}

}  // namespace

bool parse_version(std::string_view text, Version* out) {
  constexpr std::string_view prefix = "MIOpen ";
  if (text.substr(0, prefix.size()) == prefix) text.remove_prefix(prefix.size());
  // The backend appends the HIP runtime (and " [test double]") after a space: "2.17.0 (HIP 5.2.21151)".
  return parse_three_numbers(text.substr(0, text.find(' ')), out);
}

std::string_view to_string(FindDbFormat f) { return f == FindDbFormat::v1_0 ? "1.0" : "2.0"; }

FindDbFormat finddb_format(const Version& v) {
  return v < kFindDb20Since ? FindDbFormat::v1_0 : FindDbFormat::v2_0;
}

std::optional<std::string> finddb_key(const Problem& p, std::string* why) {
  const std::string_view type = type_token(p.type);
  if (type.empty()) {
    *why = "MIOpen has no TF32 math mode";
    return std::nullopt;
  }
  if (!p.symmetric()) {
    *why = "asymmetric padding: MIOpen has one pad per axis (miopenInitConvolutionNdDescriptor)";
    return std::nullopt;
  }
  const int dims = std::max(2, p.spatial_dims);
  const auto out = p.out();
  // For B and W, MIOpen's "in" is dy (problem_description.cpp:99-101 in 5.2): channels and extents swap.
  const bool fwd = p.dir == Direction::fwd;
  const int64_t in_c = fwd ? p.ic : p.oc, out_c = fwd ? p.oc : p.ic;
  const auto& in_ext = fwd ? p.in : out;
  const auto& out_ext = fwd ? out : p.in;
  std::string key = fmt::format("{}-{}-{}-{}-{}-{}", in_c, spatial(in_ext, dims, '-'),
                                spatial(p.kernel, dims, 'x'), out_c, spatial(out_ext, dims, '-'), p.mb);
  key += fmt::format("-{}-{}-{}-0-{}-{}-{}", spatial(p.pad_begin, dims, 'x'), spatial(p.stride, dims, 'x'),
                     spatial(p.dilation, dims, 'x', 1),  // benchdnn's dilation 0 is MIOpen's 1
                     layout_token(p.layout, dims), type, direction_letter(p.dir));
  if (p.g != 1) key += fmt::format("_g{}", p.g);
  return key;
}

std::string algorithm_name(std::string_view family, Direction dir) {
  std::string_view algo;
  if (family == "gemm") algo = "GEMM";
  if (family == "direct") algo = "Direct";
  if (family == "winograd") algo = "Winograd";
  if (family == "implicit_gemm") algo = "ImplicitGEMM";
  if (family == "fft" && dir != Direction::bwd_weights)
    algo = "FFT";  // WrwAlgoMap has no FFT (5.6 conv_algo_name.cpp:83-93)
  if (algo.empty()) return {};
  const std::string_view d = dir == Direction::fwd        ? "Fwd"
                             : dir == Direction::bwd_data ? "BwdData"
                                                          : "BwdWeights";
  return fmt::format("miopenConvolution{}Algo{}", d, algo);
}

std::string finddb_value(const FindDbEntry& e, FindDbFormat format) {
  // %g with 6 significant digits is what std::ostream writes for a float by default.
  const std::string time = fmt::format("{:g}", static_cast<float>(e.time_ms));
  if (format == FindDbFormat::v1_0) {
    return fmt::format("{}:{},{},{},{},<unused>", e.algorithm, e.solver, time, e.workspace, e.algorithm);
  }
  return fmt::format("{}:{},{},{}", e.solver, time, e.workspace, e.algorithm);
}

std::string finddb_line(const FindDbRecord& r, FindDbFormat format) {
  return r.key + "=" + finddb_value(r.entry, format);
}

namespace {

/// "a,b,c" -> its fields.
std::vector<std::string_view> fields(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    const size_t comma = text.find(',', start);
    out.push_back(
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

bool to_number(std::string_view s, double* out) {
  const std::string text(s);
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size();
}

/// One `id:values` item: 1.0 "<algorithm>:<solver>,<time>,<workspace>,<algorithm>,<network config>",
/// 2.0 "<solver>:<time>,<workspace>,<algorithm>".
std::optional<FindDbEntry> parse_item(std::string_view item) {
  const size_t colon = item.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view id = item.substr(0, colon);
  const auto f = fields(item.substr(colon + 1));
  const bool v1 = id.rfind("miopenConvolution", 0) == 0;
  if (f.size() < (v1 ? 3U : 2U)) return std::nullopt;
  FindDbEntry e;
  double workspace = 0;
  if (!to_number(f[v1 ? 1 : 0], &e.time_ms) || !to_number(f[v1 ? 2 : 1], &workspace)) return std::nullopt;
  e.workspace = static_cast<int64_t>(workspace);
  e.solver = std::string(v1 ? f[0] : id);
  e.algorithm = v1 ? std::string(id) : f.size() > 2 ? std::string(f[2]) : std::string();
  if (e.solver.empty()) return std::nullopt;
  return e;
}

}  // namespace

std::vector<FindDbEntry> parse_finddb_value(std::string_view value) {
  std::vector<FindDbEntry> out;
  for (size_t start = 0; start <= value.size();) {
    size_t end = value.find(';', start);
    if (end == std::string_view::npos) end = value.size();
    if (auto e = parse_item(value.substr(start, end - start))) out.push_back(std::move(*e));
    start = end + 1;
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const FindDbEntry& a, const FindDbEntry& b) { return a.time_ms < b.time_ms; });
  return out;
}

}  // namespace convprobe::miopen
