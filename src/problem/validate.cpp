// validate(): the one place that decides whether a Problem can be run. Every message names the field in
// descriptor spelling, its value and what was expected, so it reads the same after any parser.
#include <fmt/core.h>

#include "convprobe/problem.hpp"
#include "problem/checked_math.hpp"

namespace convprobe {

namespace {

constexpr const char* kAxis = "dhw";
constexpr const char* kAxisName[] = {"depth", "height", "width"};

std::string field(const char* prefix, int axis) { return fmt::format("{}{}", prefix, kAxis[axis]); }

std::string check_positive(const char* name, int64_t v) {
  if (v >= 1) return {};
  return fmt::format("{}={}: expected a positive integer", name, v);
}

/// The axes a problem does not use stay neutral: depth for 2-D, depth and height for 1-D. Anything else means
/// the caller forgot spatial_dims.
std::string check_neutral_axis(const Problem& p, int a) {
  struct Neutral {
    std::string name;
    int64_t value, expected;
  };
  const Neutral checks[] = {{field("i", a), p.in[a], 1},
                            {field("k", a), p.kernel[a], 1},
                            {field("s", a), p.stride[a], 1},
                            {field("p", a), p.pad_begin[a], 0},
                            {field("p", a) + " (end)", p.pad_end[a], 0},
                            {field("d", a), p.dilation[a], 0}};
  for (const auto& c : checks) {
    if (c.value != c.expected) {
      return fmt::format("{}={}: a {}-D problem has {}={} (set spatial_dims to {} for a {}-D problem)",
                         c.name, c.value, p.spatial_dims, c.name, c.expected, 3 - a, 3 - a);
    }
  }
  return {};
}

std::string check_output(const Problem& p, int a) {
  const int64_t o = p.out()[a];
  if (o >= 1) return {};
  const bool symmetric = p.pad_end[a] == p.pad_begin[a];
  const std::string padding =
      symmetric
          ? fmt::format("padding {}={} on each side", field("p", a), p.pad_begin[a])
          : fmt::format("padding {}={} before and {} after", field("p", a), p.pad_begin[a], p.pad_end[a]);
  return fmt::format(
      "{}={}: expected a positive output {}; {}={} with {} is smaller than the effective kernel {} ({}={}, "
      "{}={})",
      field("o", a), o, kAxisName[a], field("i", a), p.in[a], padding, p.effective_kernel(a), field("k", a),
      p.kernel[a], field("d", a), p.dilation[a]);
}

std::string check_axis(const Problem& p, int a) {
  if (auto e = check_positive(field("i", a).c_str(), p.in[a]); !e.empty()) return e;
  if (auto e = check_positive(field("k", a).c_str(), p.kernel[a]); !e.empty()) return e;
  if (p.stride[a] < 1) return fmt::format("{}={}: expected an integer >= 1", field("s", a), p.stride[a]);
  if (p.pad_begin[a] < 0) {
    return fmt::format("{}={}: expected an integer >= 0", field("p", a), p.pad_begin[a]);
  }
  if (p.dilation[a] < 0) {
    return fmt::format("{}={}: expected an integer >= 0 (benchdnn convention: 0 = no dilation)",
                       field("d", a), p.dilation[a]);
  }
  return check_output(p, a);
}

std::string check_tensor_bytes(const Problem& p, const char* name, int64_t elems, int64_t limit) {
  const int64_t bytes = detail::sat_mul(elems, element_size(p.type));
  if (bytes <= limit) return {};
  const std::string size = bytes == detail::kSatMax ? "more than 2^63" : std::to_string(bytes);
  return fmt::format("{} tensor={} bytes ({} elements of {}): expected at most {} bytes", name, size, elems,
                     to_string(p.type), limit);
}

}  // namespace

std::string validate(const Problem& p, int64_t max_tensor_bytes) {
  if (p.spatial_dims < 1 || p.spatial_dims > 3) {
    return fmt::format("spatial_dims={}: expected 1, 2 or 3", p.spatial_dims);
  }
  if (auto e = check_positive("g", p.g); !e.empty()) return e;
  if (auto e = check_positive("mb", p.mb); !e.empty()) return e;
  if (auto e = check_positive("ic", p.ic); !e.empty()) return e;
  if (auto e = check_positive("oc", p.oc); !e.empty()) return e;
  if (p.ic % p.g != 0) return fmt::format("g={} does not divide ic={}", p.g, p.ic);
  if (p.oc % p.g != 0) return fmt::format("g={} does not divide oc={}", p.g, p.oc);
  for (int a = 0; a < 3 - p.spatial_dims; ++a) {
    if (auto e = check_neutral_axis(p, a); !e.empty()) return e;
  }
  for (int a = 3 - p.spatial_dims; a < 3; ++a) {
    if (auto e = check_axis(p, a); !e.empty()) return e;
  }
  if (auto e = check_tensor_bytes(p, "src", p.src_elems(), max_tensor_bytes); !e.empty()) return e;
  if (auto e = check_tensor_bytes(p, "wei", p.wei_elems(), max_tensor_bytes); !e.empty()) return e;
  if (auto e = check_tensor_bytes(p, "dst", p.dst_elems(), max_tensor_bytes); !e.empty()) return e;
  return {};
}

}  // namespace convprobe
