// The canonical descriptor and the short human form. The canonical printer drops every value the parser
// would fill in by itself, and nothing more, so parse(print(p)) == p (tests/problem/round_trip_test.cpp).
#include <fmt/core.h>

#include <string_view>

#include "convprobe/problem.hpp"

namespace convprobe {

namespace {

constexpr char kAxis[] = {'d', 'h', 'w'};

/// The axis whose values an omitted key repeats (as the parser reads it), or -1: w repeats h, and in a 3-D
/// problem h repeats d.
int parent_axis(int axis, int dims) {
  if (axis == 2 && dims >= 2) return 1;
  if (axis == 1 && dims == 3) return 0;
  return -1;
}

/// The values of one group of keys ('i', 'o', 'k', 's', 'p', 'd') on every axis.
std::array<int64_t, 3> group_values(const Problem& p, char group) {
  switch (group) {
    case 'i':
      return p.in;
    case 'o':
      return p.out();
    case 'k':
      return p.kernel;
    case 's':
      return p.stride;
    case 'p':
      return p.pad_begin;
    default:
      return p.dilation;
  }
}

/// Which keys the canonical form prints. An axis equal to its parent in every value prints nothing (the
/// parser copies a keyless axis whole). Otherwise a key is left out when the parser would fill in the same
/// value by itself (the parent axis's value, else the default), with three exceptions that keep
/// parse(print(p)) == p: the input and kernel extents of the first axis are always printed; an asymmetric
/// axis prints its padding and its output size (the parser derives the end padding from them); and an axis
/// that would otherwise print no key, but whose end padding differs from its parent's, prints its padding.
class KeyChoice {
 public:
  explicit KeyChoice(const Problem& p) : p_(p), dims_(p.spatial_dims), first_(3 - p.spatial_dims) {
    for (int a = first_; a < 3; ++a) choose_axis(a);
  }
  [[nodiscard]] bool printed(char group, int axis) const { return printed_[index(group)][axis]; }

 private:
  static int index(char group) { return static_cast<int>(std::string_view("iokspd").find(group)); }

  /// Every value of axis `a` equals its parent's: the parser copies a keyless axis whole.
  [[nodiscard]] bool copies(int a, int parent) const {
    for (char group : std::string_view("ikspd")) {
      if (group_values(p_, group)[a] != group_values(p_, group)[parent]) return false;
    }
    return p_.canonical_pad_end(a) == p_.canonical_pad_end(parent);
  }

  void choose_axis(int a) {
    int parent = parent_axis(a, dims_);
    if (parent >= 0 && copies(a, parent)) return;
    // Input and kernel both differ from the parent's: both are printed, and where the line has benchdnn's
    // form (2-D, or 3-D with keys on h and w) the parser reads the axis on its own, so its other values are
    // left out only when they are the defaults.
    const bool benchdnn_form = dims_ == 2 || (!copies(1, 0) && !copies(2, 1));
    if (parent >= 0 && benchdnn_form && p_.in[a] != p_.in[parent] && p_.kernel[a] != p_.kernel[parent])
      parent = -1;
    const bool asymmetric = p_.canonical_pad_end(a) != p_.pad_begin[a];
    bool any = false;
    for (char group : std::string_view("ikspd")) {
      const auto v = group_values(p_, group);
      const int64_t implied = parent >= 0 ? v[parent] : (group == 'p' || group == 'd' ? 0 : 1);
      const bool forced = (parent < 0 && (group == 'i' || group == 'k')) || (group == 'p' && asymmetric);
      printed_[index(group)][a] = forced || v[a] != implied;
      any = any || printed_[index(group)][a];
    }
    printed_[index('o')][a] = asymmetric;
    if (!any && !asymmetric && parent >= 0 && p_.canonical_pad_end(a) != p_.canonical_pad_end(parent))
      printed_[index('p')][a] = true;
  }

  const Problem& p_;
  int dims_, first_;
  std::array<std::array<bool, 3>, 6> printed_{};
};

void print_group(std::string& s, const Problem& p, const KeyChoice& choice, char group) {
  const auto v = group_values(p, group);
  for (int a = 3 - p.spatial_dims; a < 3; ++a) {
    if (choice.printed(group, a)) s += fmt::format("{}{}{}", group, kAxis[a], v[a]);
  }
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
  const KeyChoice choice(p);
  if (p.g != 1) s += fmt::format("g{}", p.g);
  if (p.mb != 2) s += fmt::format("mb{}", p.mb);
  s += fmt::format("ic{}", p.ic);
  print_group(s, p, choice, 'i');
  s += fmt::format("oc{}", p.oc);
  for (char group : std::string_view("okspd")) print_group(s, p, choice, group);
  return s;
}

std::string to_string(const Problem& p) {
  std::string s = key(p);
  if (!p.label.empty()) s += fmt::format("n\"{}\"", printable_label(p.label));
  return s;
}

std::string to_short_string(const Problem& p) {
  const int first = 3 - p.spatial_dims;
  std::string in_dims;
  for (int a = first; a < 3; ++a) in_dims += fmt::format("x{}", p.in[a]);
  std::string kernel;
  for (int a = first; a < 3; ++a) kernel += fmt::format("{}{}", a > first ? "x" : "", p.kernel[a]);
  std::string s = fmt::format("{} {}", to_string(p.dir), to_string(p.type));
  if (p.layout != Layout::nchw) s += fmt::format(" {}", to_string(p.layout));
  s += fmt::format(" {}x{}{} -> {} k{} s{} p{}", p.mb, p.ic, in_dims, p.oc, kernel,
                   join_axes(p.stride, first), join_axes(p.pad_begin, first));
  if (!p.symmetric()) {
    const std::array<int64_t, 3> end{p.canonical_pad_end(0), p.canonical_pad_end(1), p.canonical_pad_end(2)};
    s += fmt::format(" (end {})", join_axes(end, first));
  }
  bool dilated = false;
  for (int a = first; a < 3; ++a) dilated = dilated || p.dilation[a] != 0;
  if (dilated) s += fmt::format(" d{}", join_axes(p.dilation, first));
  if (p.g != 1) s += fmt::format(" g{}", p.g);
  return s;
}

}  // namespace convprobe
