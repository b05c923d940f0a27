// The canonical descriptor and the short human form. The canonical printer drops every value the parser
// would fill in by itself, and nothing more, so parse(print(p)) == p (tests/problem/round_trip_test.cpp).
#include <fmt/core.h>

#include "convprobe/problem.hpp"

namespace convprobe {

namespace {

/// Print one {d, h, w} group with the parser's fill-in rules in reverse:
///   3-D: d is printed when it differs from `def` (or always, `force`); a missing h repeats d;
///   2-D: d is never printed; a missing h is `def` (h is printed always when `force`);
///   both: a missing w repeats h.
void print_group(std::string& s, char prefix, const std::array<int64_t, 3>& v, int64_t def, bool three_d,
                 bool force) {
  int64_t implied_h = def;
  if (three_d) {
    if (force || v[0] != def) s += fmt::format("{}d{}", prefix, v[0]);
    implied_h = v[0];  // when d is omitted it equals def, so a missing h is v[0] either way
  }
  const bool force_h = force && !three_d;
  if (force_h || v[1] != implied_h) s += fmt::format("{}h{}", prefix, v[1]);
  if (v[2] != v[1]) s += fmt::format("{}w{}", prefix, v[2]);
}

/// A label is free text inside n"..."; a double quote or a line break would end it early.
std::string printable_label(const std::string& label) {
  std::string out = label;
  for (char& c : out) {
    if (c == '"') c = '\'';
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

std::string join_axes(const std::array<int64_t, 3>& v, int first) {
  bool same = true;
  for (int a = first + 1; a < 3; ++a) same = same && v[a] == v[first];
  if (same) return std::to_string(v[first]);
  std::string s;
  for (int a = first; a < 3; ++a) s += fmt::format("{}{}", a > first ? "x" : "", v[a]);
  return s;
}

}  // namespace

std::string key(const Problem& p) {
  std::string s;
  if (p.dir == Direction::bwd_data) s += "bwdd_";
  if (p.dir == Direction::bwd_weights) s += "bwdw_";
  if (p.type != DataType::f32) s += fmt::format("{}_", to_string(p.type));
  if (p.layout == Layout::nhwc) s += "nhwc_";
  const bool three_d = p.spatial_dims == 3;
  if (p.g != 1) s += fmt::format("g{}", p.g);
  if (p.mb != 2) s += fmt::format("mb{}", p.mb);
  s += fmt::format("ic{}", p.ic);
  print_group(s, 'i', p.in, 1, three_d, true);
  s += fmt::format("oc{}", p.oc);
  print_group(s, 'k', p.kernel, 1, three_d, true);
  print_group(s, 's', p.stride, 1, three_d, false);
  print_group(s, 'p', p.pad, 0, three_d, false);
  print_group(s, 'd', p.dilation, 0, three_d, false);
  return s;
}

std::string to_string(const Problem& p) {
  std::string s = key(p);
  if (!p.label.empty()) s += fmt::format("n\"{}\"", printable_label(p.label));
  return s;
}

std::string to_short_string(const Problem& p) {
  const int first = p.spatial_dims == 3 ? 0 : 1;
  std::string in_dims;
  for (int a = first; a < 3; ++a) in_dims += fmt::format("x{}", p.in[a]);
  std::string kernel;
  for (int a = first; a < 3; ++a) kernel += fmt::format("{}{}", a > first ? "x" : "", p.kernel[a]);
  std::string s = fmt::format("{} {}", to_string(p.dir), to_string(p.type));
  if (p.layout != Layout::nchw) s += fmt::format(" {}", to_string(p.layout));
  s += fmt::format(" {}x{}{} -> {} k{} s{} p{}", p.mb, p.ic, in_dims, p.oc, kernel,
                   join_axes(p.stride, first), join_axes(p.pad, first));
  bool dilated = false;
  for (int a = first; a < 3; ++a) dilated = dilated || p.dilation[a] != 0;
  if (dilated) s += fmt::format(" d{}", join_axes(p.dilation, first));
  if (p.g != 1) s += fmt::format(" g{}", p.g);
  return s;
}

}  // namespace convprobe
