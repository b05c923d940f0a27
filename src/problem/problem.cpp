// Derived quantities of a Problem: output size, element counts, FLOPs, bytes. Everything here is a pure
// function of the fields; validation and text forms live in their own files.
#include "convprobe/problem.hpp"

#include "problem/checked_math.hpp"

namespace convprobe {

std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::fwd:
      return "fwd";
    case Direction::bwd_data:
      return "bwd_data";
    case Direction::bwd_weights:
      return "bwd_weights";
  }
  return "?";
}

std::string_view to_string(DataType t) {
  switch (t) {
    case DataType::f32:
      return "f32";
    case DataType::tf32:
      return "tf32";
    case DataType::f16:
      return "f16";
    case DataType::bf16:
      return "bf16";
  }
  return "?";
}

std::string_view to_string(Layout l) {
  switch (l) {
    case Layout::nchw:
      return "nchw";
    case Layout::nhwc:
      return "nhwc";
  }
  return "?";
}

int element_size(DataType t) {
  switch (t) {
    case DataType::f32:
    case DataType::tf32:
      return 4;
    case DataType::f16:
    case DataType::bf16:
      return 2;
  }
  return 4;
}

int64_t Problem::effective_kernel(int axis) const {
  return detail::sat_add(
      detail::sat_mul(detail::sat_add(kernel[axis], -1), detail::sat_add(dilation[axis], 1)), 1);
}

namespace {

/// floor((in + pad_begin + end - effective kernel) / stride) + 1 on `axis` (stride >= 1). Floor division: C++
/// truncates toward zero, which would turn a negative span into output 1.
int64_t output_extent(const Problem& p, int axis, int64_t end) {
  const int64_t span = detail::sat_sub(detail::sat_add(p.in[axis], detail::sat_add(p.pad_begin[axis], end)),
                                       p.effective_kernel(axis));
  return detail::sat_add(detail::floor_div(span, p.stride[axis]), 1);
}

}  // namespace

std::array<int64_t, 3> Problem::out() const {
  std::array<int64_t, 3> o{};
  for (int a = 0; a < 3; ++a) {
    if (stride[a] < 1) {
      o[a] = 0;  // invalid; validate() names the stride
      continue;
    }
    o[a] = output_extent(*this, a, pad_end[a]);
  }
  return o;
}

int64_t Problem::canonical_pad_end(int axis) const {
  if (stride[axis] < 1) return pad_end[axis];
  const int64_t o = output_extent(*this, axis, pad_end[axis]);
  if (output_extent(*this, axis, pad_begin[axis]) == o) return pad_begin[axis];
  // The smallest end padding reaching o: (o - 1) * stride - in + effective kernel - pad_begin.
  return detail::sat_add(detail::sat_sub(detail::sat_mul(detail::sat_add(o, -1), stride[axis]), in[axis]),
                         detail::sat_sub(effective_kernel(axis), pad_begin[axis]));
}

bool Problem::symmetric() const {
  for (int a = 0; a < 3; ++a) {
    if (canonical_pad_end(a) != pad_begin[a]) return false;
  }
  return true;
}

namespace {

int64_t volume(const std::array<int64_t, 3>& v) { return detail::sat_mul(detail::sat_mul(v[0], v[1]), v[2]); }

int64_t ic_per_group(const Problem& p) { return p.g > 0 ? p.ic / p.g : 0; }
int64_t oc_per_group(const Problem& p) { return p.g > 0 ? p.oc / p.g : 0; }

}  // namespace

int64_t Problem::src_elems() const { return detail::sat_mul(detail::sat_mul(mb, ic), volume(in)); }

int64_t Problem::wei_elems() const {
  return detail::sat_mul(detail::sat_mul(oc, ic_per_group(*this)), volume(kernel));
}

int64_t Problem::dst_elems() const { return detail::sat_mul(detail::sat_mul(mb, oc), volume(out())); }

double Problem::flops() const {
  // One multiply-add per (output element, reduction element) pair, counted as 2 FLOPs.
  const auto o = out();
  const double outputs = static_cast<double>(mb) * static_cast<double>(oc) * static_cast<double>(o[0]) *
                         static_cast<double>(o[1]) * static_cast<double>(o[2]);
  const double per_output = static_cast<double>(ic_per_group(*this)) * static_cast<double>(kernel[0]) *
                            static_cast<double>(kernel[1]) * static_cast<double>(kernel[2]);
  return 2.0 * outputs * per_output;
}

int64_t Problem::bytes() const {
  const int64_t elems = detail::sat_add(detail::sat_add(src_elems(), wei_elems()), dst_elems());
  return detail::sat_mul(elems, element_size(type));
}

int64_t Problem::reduction_length() const {
  switch (dir) {
    case Direction::fwd:
      return detail::sat_mul(ic_per_group(*this), volume(kernel));
    case Direction::bwd_data:
      // Upper bound: with stride > 1 some input points receive fewer contributions.
      return detail::sat_mul(oc_per_group(*this), volume(kernel));
    case Direction::bwd_weights:
      return detail::sat_mul(mb, volume(out()));
  }
  return 0;
}

int64_t Problem::output_elems() const {
  switch (dir) {
    case Direction::fwd:
      return dst_elems();
    case Direction::bwd_data:
      return src_elems();
    case Direction::bwd_weights:
      return wei_elems();
  }
  return 0;
}

namespace {

std::array<int64_t, 3> canonical_pad_ends(const Problem& p) {
  return {p.canonical_pad_end(0), p.canonical_pad_end(1), p.canonical_pad_end(2)};
}

}  // namespace

bool operator==(const Problem& a, const Problem& b) {
  return a.dir == b.dir && a.type == b.type && a.layout == b.layout && a.spatial_dims == b.spatial_dims &&
         a.g == b.g && a.mb == b.mb && a.ic == b.ic && a.oc == b.oc && a.in == b.in && a.kernel == b.kernel &&
         a.stride == b.stride && a.pad_begin == b.pad_begin && a.dilation == b.dilation &&
         canonical_pad_ends(a) == canonical_pad_ends(b);
}

}  // namespace convprobe
