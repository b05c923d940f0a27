#include "problem/axis.hpp"

#include <algorithm>

namespace convprobe {

namespace {

/// "Same" padding, symmetric: the padding a kernel of this size keeps when it changes.
bool same_padding(const Problem& p, int axis) {
  return p.pad_begin[axis] == (p.kernel[axis] - 1) / 2 && p.canonical_pad_end(axis) == p.pad_begin[axis];
}

}  // namespace

bool parse_axis(std::string_view text, Axis* out) {
  for (const auto& [axis, name] : kAxisNames) {
    if (name == text) {
      *out = axis;
      return true;
    }
  }
  return false;
}

std::string_view to_string(Axis axis) {
  for (const auto& [a, name] : kAxisNames) {
    if (a == axis) return name;
  }
  return "?";
}

int64_t axis_value(const Problem& p, Axis axis) {
  switch (axis) {
    case Axis::hw:
      return std::max(p.in[1], p.in[2]);
    case Axis::h:
      return p.in[1];
    case Axis::w:
      return p.in[2];
    case Axis::c:
      return p.ic;
    case Axis::k:
      return p.oc;
    case Axis::n:
      return p.mb;
    case Axis::r:
      return p.kernel[1];
  }
  return 0;
}

std::string with_axis_value(const Problem& base, Axis axis, int64_t value, Problem* out) {
  Problem p = base;
  switch (axis) {
    case Axis::hw:
      p.in[1] = p.in[2] = value;
      break;
    case Axis::h:
      p.in[1] = value;
      break;
    case Axis::w:
      p.in[2] = value;
      break;
    case Axis::c:
      // A depthwise problem (g == C == K) stays depthwise; otherwise only C moves.
      if (base.g > 1 && base.g == base.ic && base.ic == base.oc) p.g = p.oc = value;
      p.ic = value;
      break;
    case Axis::k:
      p.oc = value;
      break;
    case Axis::n:
      p.mb = value;
      break;
    case Axis::r: {
      const bool square = base.kernel[1] == base.kernel[2];
      p.kernel[1] = value;
      if (same_padding(base, 1)) p.pad_begin[1] = p.pad_end[1] = (value - 1) / 2;
      if (square) {
        p.kernel[2] = value;
        if (same_padding(base, 2)) p.pad_begin[2] = p.pad_end[2] = (value - 1) / 2;
      }
      break;
    }
  }
  p.label.clear();
  *out = p;
  return validate(p);
}

}  // namespace convprobe
