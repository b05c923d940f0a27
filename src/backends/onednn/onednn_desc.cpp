#include "backends/onednn/onednn_desc.hpp"

#include <oneapi/dnnl/dnnl_debug.h>

namespace convprobe::onednn {

namespace {

using dnnl::memory;

/// Physical strides of HostTensor's logical (n, c, d, h, w) index, from TensorDims::offset.
std::array<int64_t, 5> strides_of(const TensorDims& t) {
  if (t.channels_last) return {t.d * t.h * t.w * t.c, 1, t.h * t.w * t.c, t.w * t.c, t.c};
  return {t.c * t.d * t.h * t.w, t.d * t.h * t.w, t.h * t.w, t.w, 1};
}

/// Spatial values of the problem in oneDNN's order: (d,) (h,) w; a 1-D problem is oneDNN's 3-D tensor (n, c,
/// w).
memory::dims spatial(const Problem& p, const std::array<int64_t, 3>& v) {
  return memory::dims(v.begin() + (3 - p.spatial_dims), v.end());
}

std::array<int64_t, 3> canonical_pad_ends(const Problem& p) {
  return {p.canonical_pad_end(0), p.canonical_pad_end(1), p.canonical_pad_end(2)};
}

memory::desc any_md(const Problem& p, TensorRole role, memory::data_type type) {
  const memory::desc plain = user_md(p, role);
  return memory::desc(plain.dims(), type, memory::format_tag::any);
}

struct ConvShape {
  memory::desc src, wei, dst;
  memory::dims strides, dilates, pad_l, pad_r;
};

ConvShape conv_shape(const Problem& p, memory::data_type type) {
  ConvShape s{any_md(p, TensorRole::src, type),
              any_md(p, TensorRole::wei, type),
              any_md(p, TensorRole::dst, type),
              spatial(p, p.stride),
              spatial(p, p.dilation),  // both conventions say 0 = no dilation
              spatial(p, p.pad_begin),
              spatial(p, canonical_pad_ends(p))};  // oneDNN's padding_r: the padding after, may be < 0
  return s;
}

dnnl::algorithm to_dnnl(Algo a) {
  switch (a) {
    case Algo::direct:
      return dnnl::algorithm::convolution_direct;
    case Algo::winograd:
      return dnnl::algorithm::convolution_winograd;
    case Algo::automatic:
      return dnnl::algorithm::convolution_auto;
  }
  return dnnl::algorithm::convolution_direct;
}

dnnl::primitive_attr user_scratchpad_attr() {
  dnnl::primitive_attr attr;
  // The trial owns the scratchpad so its size is known (reported as workspace) and allocated outside timing.
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

dnnl::convolution_forward::desc forward_desc(const ConvShape& s, dnnl::prop_kind prop, Algo algo) {
  return {prop, to_dnnl(algo), s.src, s.wei, s.dst, s.strides, s.dilates, s.pad_l, s.pad_r};
}

dnnl::convolution_forward::primitive_desc forward_pd(const dnnl::convolution_forward::desc& d,
                                                     const dnnl::engine& engine) {
  dnnl::primitive_attr attr = user_scratchpad_attr();
  // f32 means strict f32 math, whatever ONEDNN_DEFAULT_FPMATH_MODE says.
  attr.set_fpmath_mode(dnnl::fpmath_mode::strict);
  return {d, attr, engine, /*allow_empty=*/true};
}

}  // namespace

std::string_view to_string(Algo a) {
  switch (a) {
    case Algo::direct:
      return "direct";
    case Algo::winograd:
      return "winograd";
    case Algo::automatic:
      return "auto";
  }
  return "?";
}

bool algo_from_string(std::string_view s, Algo* out) {
  for (Algo a : kAlgos) {
    if (to_string(a) == s) {
      *out = a;
      return true;
    }
  }
  return false;
}

std::optional<memory::data_type> dnnl_type(DataType t) {
  switch (t) {
    case DataType::f32:
      return memory::data_type::f32;
    case DataType::bf16:
      return memory::data_type::bf16;
    case DataType::f16:
      return memory::data_type::f16;
    case DataType::tf32:
      return std::nullopt;
  }
  return std::nullopt;
}

memory::desc user_md(const Problem& p, TensorRole role) {
  const TensorDims t = dims_of(p, role);
  const std::array<int64_t, 5> st = strides_of(t);
  memory::dims dims, strides;
  if (role == TensorRole::wei && p.g > 1) {
    // oneDNN's grouped weights are (g, oc/g, ic/g, ...); HostTensor's k index runs over g * oc/g.
    dims = {p.g, t.n / p.g};
    strides = {st[0] * (t.n / p.g), st[0]};
  } else {
    dims = {t.n};
    strides = {st[0]};
  }
  dims.push_back(t.c);
  strides.push_back(st[1]);
  // The problem's spatial axes only: (d,) (h,) w.
  const int64_t extents[] = {t.d, t.h, t.w};
  for (int a = 3 - p.spatial_dims; a < 3; ++a) {
    dims.push_back(extents[a]);
    strides.push_back(st[2 + a]);
  }
  // tf32 is stored as f32; callers never get here with it because it has no candidates.
  const memory::data_type type = dnnl_type(p.type).value_or(memory::data_type::f32);
  return memory::desc(dims, type, strides);
}

int arg_of(Direction dir, TensorRole role) {
  switch (role) {
    case TensorRole::src:
      return dir == Direction::bwd_data ? DNNL_ARG_DIFF_SRC : DNNL_ARG_SRC;
    case TensorRole::wei:
      return dir == Direction::bwd_weights ? DNNL_ARG_DIFF_WEIGHTS : DNNL_ARG_WEIGHTS;
    case TensorRole::dst:
      return dir == Direction::fwd ? DNNL_ARG_DST : DNNL_ARG_DIFF_DST;
  }
  return DNNL_ARG_SRC;
}

memory::desc impl_md(const dnnl::primitive_desc& pd, Direction dir, TensorRole role) {
  return pd.query_md(dnnl::query::exec_arg_md, arg_of(dir, role));
}

ImplList::ImplList(const Problem& p, Algo algo, const dnnl::engine& engine) {
  const auto type = dnnl_type(p.type);
  if (!type) return;
  const ConvShape s = conv_shape(p, *type);
  if (p.dir == Direction::fwd) {
    fwd_.emplace(forward_desc(s, dnnl::prop_kind::forward_inference, algo));
    pd_ = forward_pd(*fwd_, engine);
    return;
  }
  // Backward primitives need a forward_training primitive descriptor as a hint for their memory formats.
  // The same algorithm's first implementation is the natural hint; when that algorithm has no forward
  // implementation (bf16 winograd), convolution_auto's first one stands in.
  hint_desc_.emplace(forward_desc(s, dnnl::prop_kind::forward_training, algo));
  hint_ = forward_pd(*hint_desc_, engine);
  if (!hint_) {
    fallback_hint_desc_.emplace(forward_desc(s, dnnl::prop_kind::forward_training, Algo::automatic));
    hint_ = forward_pd(*fallback_hint_desc_, engine);
  }
  if (!hint_) return;
  // No set_fpmath_mode on backward primitives: in 2.6, setting it (even to the default, strict) leaves
  // only one implementation (measured), so backward passes rely on the default, strict.
  if (p.dir == Direction::bwd_data) {
    bwd_data_.emplace(to_dnnl(algo), s.src, s.wei, s.dst, s.strides, s.dilates, s.pad_l, s.pad_r);
    pd_ = dnnl::convolution_backward_data::primitive_desc(*bwd_data_, user_scratchpad_attr(), engine, hint_,
                                                          true);
  } else {
    bwd_weights_.emplace(to_dnnl(algo), s.src, s.wei, s.dst, s.strides, s.dilates, s.pad_l, s.pad_r);
    pd_ = dnnl::convolution_backward_weights::primitive_desc(*bwd_weights_, user_scratchpad_attr(), engine,
                                                             hint_, true);
  }
}

std::string status_name(dnnl_status_t s) { return dnnl_status2str(s); }

}  // namespace convprobe::onednn
