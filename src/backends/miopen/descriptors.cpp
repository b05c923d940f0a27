#include "backends/miopen/descriptors.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "core/host_trial.hpp"

namespace convprobe::miopen {
namespace {

int to_int(int64_t v, const char* what) {
  if (v < 0 || v > std::numeric_limits<int>::max()) {
    throw TrialError(Verdict::unsupported,
                     std::string(what) + " " + std::to_string(v) + " exceeds MIOpen's int");
  }
  return static_cast<int>(v);
}

// Dims and strides of a tensor in MIOpen's order (n, c, [d,] h, w), from the shared host layout.
void dims_and_strides(const TensorDims& t, int spatial_dims, std::vector<int>* dims,
                      std::vector<int>* strides) {
  const int64_t sw = t.channels_last ? t.c : 1;
  const int64_t sh = sw * t.w;
  const int64_t sd = sh * t.h;
  const int64_t sc = t.channels_last ? 1 : sd * t.d;
  const int64_t sn = t.channels_last ? sd * t.d : sc * t.c;
  if (spatial_dims == 3) {
    *dims = {to_int(t.n, "extent"), to_int(t.c, "extent"), to_int(t.d, "extent"), to_int(t.h, "extent"),
             to_int(t.w, "extent")};
    *strides = {to_int(sn, "stride"), to_int(sc, "stride"), to_int(sd, "stride"), to_int(sh, "stride"),
                to_int(sw, "stride")};
  } else {
    *dims = {to_int(t.n, "extent"), to_int(t.c, "extent"), to_int(t.h, "extent"), to_int(t.w, "extent")};
    *strides = {to_int(sn, "stride"), to_int(sc, "stride"), to_int(sh, "stride"), to_int(sw, "stride")};
  }
}

}  // namespace

int miopen_data_type(DataType t) {
  switch (t) {
    case DataType::f32:
      return miopen_abi::kFloat;
    case DataType::f16:
      return miopen_abi::kHalf;
    case DataType::bf16:
      return miopen_abi::kBFloat16;
    case DataType::tf32:
      return -1;
  }
  return -1;
}

int direction_index(Direction d) {
  switch (d) {
    case Direction::fwd:
      return 0;
    case Direction::bwd_data:
      return 1;
    case Direction::bwd_weights:
      return 2;
  }
  return 0;
}

ProblemDescriptors::ProblemDescriptors(const Runtime& rt, const Problem& p) : rt_(rt), dir_(p.dir) {
  try {
    build(p);
  } catch (...) {
    release();  // the destructor does not run for a half-built object
    throw;
  }
}

void ProblemDescriptors::build(const Problem& p) {
  const Runtime& rt = rt_;
  const int dtype = miopen_data_type(p.type);
  if (dtype < 0) throw TrialError(Verdict::unsupported, "MIOpen has no TF32 math mode");
  if (!p.symmetric()) {
    throw TrialError(
        Verdict::unsupported,
        "MIOpen has symmetric padding only (miopenInitConvolutionNdDescriptor takes one pad per axis)");
  }
  if (p.g > 1 && rt.mi.set_group_count == nullptr) {
    throw TrialError(Verdict::unsupported, "grouped convolution needs miopenSetConvolutionGroupCount");
  }
  auto check = [&](miopen_abi::Status s, const char* call) {
    if (s != miopen_abi::kSuccess) {
      throw TrialError(s == miopen_abi::kNotImplemented || s == miopen_abi::kBadParm ? Verdict::unsupported
                                                                                     : Verdict::failed,
                       std::string(call) + ": " + rt_.status_text(s));
    }
  };
  for (TensorRole role : {TensorRole::src, TensorRole::wei, TensorRole::dst}) {
    auto& d = tensors_[static_cast<int>(role)];
    check(rt.mi.create_tensor(&d), "miopenCreateTensorDescriptor");
    std::vector<int> dims, strides;
    dims_and_strides(dims_of(p, role), p.spatial_dims, &dims, &strides);
    check(rt.mi.set_tensor(d, dtype, static_cast<int>(dims.size()), dims.data(), strides.data()),
          "miopenSetTensorDescriptor");
  }
  check(rt.mi.create_conv(&conv_), "miopenCreateConvolutionDescriptor");
  // A 1-D problem runs as 2-D with H = 1 (its h axis holds the neutral extents), as MIOpen's own callers do.
  const int dims = std::max(2, p.spatial_dims);
  std::vector<int> pads, strides, dilations;
  for (int a = 3 - dims; a < 3; ++a) {
    pads.push_back(to_int(p.pad_begin[a], "pad"));
    strides.push_back(to_int(p.stride[a], "stride"));
    dilations.push_back(to_int(p.dilation[a] + 1, "dilation"));  // benchdnn's 0 = MIOpen's 1
  }
  check(rt.mi.init_conv_nd(conv_, dims, pads.data(), strides.data(), dilations.data(),
                           miopen_abi::kConvolution),
        "miopenInitConvolutionNdDescriptor");
  if (p.g > 1) check(rt.mi.set_group_count(conv_, to_int(p.g, "groups")), "miopenSetConvolutionGroupCount");
}

ProblemDescriptors::~ProblemDescriptors() { release(); }

void ProblemDescriptors::release() {
  for (auto& d : tensors_) {
    if (d != nullptr) rt_.mi.destroy_tensor(d);
    d = nullptr;
  }
  if (conv_ != nullptr) rt_.mi.destroy_conv(conv_);
  conv_ = nullptr;
}

std::array<TensorRole, 3> ProblemDescriptors::immediate_order() const {
  switch (dir_) {
    case Direction::fwd:
      return {TensorRole::wei, TensorRole::src, TensorRole::dst};
    case Direction::bwd_data:
      return {TensorRole::dst, TensorRole::wei, TensorRole::src};
    case Direction::bwd_weights:
      return {TensorRole::dst, TensorRole::src, TensorRole::wei};
  }
  return {TensorRole::wei, TensorRole::src, TensorRole::dst};
}

std::array<TensorRole, 3> ProblemDescriptors::find_order() const {
  switch (dir_) {
    case Direction::fwd:
      return {TensorRole::src, TensorRole::wei, TensorRole::dst};
    case Direction::bwd_data:
      return {TensorRole::dst, TensorRole::wei, TensorRole::src};
    case Direction::bwd_weights:
      return {TensorRole::dst, TensorRole::src, TensorRole::wei};
  }
  return {TensorRole::src, TensorRole::wei, TensorRole::dst};
}

}  // namespace convprobe::miopen
