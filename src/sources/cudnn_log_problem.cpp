// One operation's descriptors -> a Problem. Each check names the descriptor and field as the log spells them,
// the value, and what convprobe accepts, so a rejection can be acted on without reading this file.
#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "problem/checked_math.hpp"
#include "sources/cudnn_log_fields.hpp"

namespace convprobe::sources::cudnn_log {

namespace {

using Dims = std::vector<int64_t>;

std::string list_text(const Dims& v) { return fmt::format("[{}]", fmt::join(v, ",")); }

std::optional<DataType> data_type_of(std::string_view name) {
  if (name == "CUDNN_DATA_FLOAT") return DataType::f32;
  if (name == "CUDNN_DATA_HALF") return DataType::f16;
  if (name == "CUDNN_DATA_BFLOAT16") return DataType::bf16;
  return std::nullopt;
}

/// The order of a packed layout's dimensions, innermost first, for a rank-`n` tensor (N, C, spatial...).
Dims innermost_first(Layout l, size_t n) {
  Dims order;
  if (l == Layout::nhwc) order.push_back(1);
  for (size_t d = n; d-- > 2;) order.push_back(static_cast<int64_t>(d));
  if (l == Layout::nchw) order.push_back(1);
  order.push_back(0);
  return order;
}

/// Strides of a packed tensor of `dims` in layout `l`.
Dims packed_strides(const Dims& dims, Layout l) {
  Dims strides(dims.size(), 0);
  int64_t next = 1;
  for (int64_t d : innermost_first(l, dims.size())) {
    strides[d] = next;
    next = detail::sat_mul(next, dims[d]);
  }
  return strides;
}

/// Whether `strides` are those of a packed tensor of `dims` in layout `l`; a dimension of extent 1 is never
/// stepped over, so its stride does not matter (PyTorch writes any there).
bool packed_in(const Dims& dims, const Dims& strides, Layout l) {
  const Dims want = packed_strides(dims, l);
  for (size_t d = 0; d < dims.size(); ++d) {
    if (dims[d] != 1 && strides[d] != want[d]) return false;
  }
  return true;
}

/// Everything one tensor says, checked on its own.
class TensorCheck {
 public:
  TensorCheck(const TensorFields& t, std::string* why) : t_(t), why_(why) {}

  bool present(std::string_view role) {
    if (t_.seen && t_.dims) return true;
    *why_ = t_.seen ? fmt::format("{} has no dimA", t_.name)
                    : fmt::format("the record has no {} descriptor", role);
    return false;
  }

  bool rank(size_t n) {
    const size_t got = t_.dims->size();
    if (t_.nb_dims && *t_.nb_dims != static_cast<int64_t>(got)) {
      *why_ = fmt::format("{} nbDims {} but dimA {} has {} entries", t_.name, *t_.nb_dims,
                          list_text(*t_.dims), got);
      return false;
    }
    if (got == n) return true;
    *why_ = n == 0 ? fmt::format("{} dimA {}: convprobe probes 4-D (2-D convolutions) and 5-D (3-D) tensors",
                                 t_.name, list_text(*t_.dims))
                   : fmt::format("{} dimA {} has {} dimensions but the input tensor {}", t_.name,
                                 list_text(*t_.dims), got, n);
    return false;
  }

  bool positive_dims() {
    for (int64_t d : *t_.dims) {
      if (d < 1) {
        *why_ = fmt::format("{} dimA {}: expected extents >= 1", t_.name, list_text(*t_.dims));
        return false;
      }
    }
    return true;
  }

  bool unvectorized() {
    const bool vectorized = t_.vector_count && *t_.vector_count != 0 && *t_.vector_count != 1;
    if (vectorized) {
      *why_ = fmt::format("{} is vectorized ({} elements a vector): convprobe probes unvectorized tensors",
                          t_.name, *t_.vector_count);
      return false;
    }
    if (t_.format.empty() || t_.format == "CUDNN_TENSOR_NCHW" || t_.format == "CUDNN_TENSOR_NHWC")
      return true;
    *why_ = fmt::format("{} format {}: convprobe probes CUDNN_TENSOR_NCHW and CUDNN_TENSOR_NHWC filters",
                        t_.name, t_.format);
    return false;
  }

  std::optional<DataType> data_type() {
    const auto type = data_type_of(t_.data_type);
    if (!type) {
      *why_ = fmt::format(
          "{} dataType {}: convprobe probes CUDNN_DATA_FLOAT, CUDNN_DATA_HALF and "
          "CUDNN_DATA_BFLOAT16",
          t_.name, t_.data_type.empty() ? "(none)" : t_.data_type);
    }
    return type;
  }

  /// The layouts the tensor is packed in (both when they coincide, e.g. C = 1); empty and *why_ if none.
  std::vector<Layout> layouts() {
    Dims strides;
    if (t_.strides) {
      strides = *t_.strides;
    } else if (!t_.format.empty()) {
      // A legacy filter has no strides: its format says how it is packed.
      strides = packed_strides(*t_.dims, t_.format == "CUDNN_TENSOR_NHWC" ? Layout::nhwc : Layout::nchw);
    } else {
      *why_ = fmt::format("{} has neither strideA nor format", t_.name);
      return {};
    }
    if (strides.size() != t_.dims->size()) {
      *why_ = fmt::format("{} strideA {} does not match dimA {}", t_.name, list_text(strides),
                          list_text(*t_.dims));
      return {};
    }
    std::vector<Layout> out;
    for (Layout l : {Layout::nchw, Layout::nhwc}) {
      if (packed_in(*t_.dims, strides, l)) out.push_back(l);
    }
    if (out.empty()) {
      *why_ = fmt::format("{} strideA {} for dimA {}: convprobe probes packed NCHW ({}) or NHWC ({}) tensors",
                          t_.name, list_text(strides), list_text(*t_.dims),
                          list_text(packed_strides(*t_.dims, Layout::nchw)),
                          list_text(packed_strides(*t_.dims, Layout::nhwc)));
    }
    return out;
  }

 private:
  const TensorFields& t_;
  std::string* why_;
};

/// The three tensors' checks in the order a reader would fix them: presence, rank, vectorization, data type.
bool check_tensors(const OpFields& op, DataType* type, std::string* why) {
  const std::array<std::pair<const TensorFields*, const char*>, 3> tensors = {
      {{&op.input, op.dir == Direction::bwd_data ? "dxDesc (input)" : "xDesc (input)"},
       {&op.filter, op.dir == Direction::bwd_weights ? "dwDesc (filter)" : "wDesc (filter)"},
       {&op.output, op.dir == Direction::fwd ? "yDesc (output)" : "dyDesc (output)"}}};
  for (const auto& [t, role] : tensors) {
    if (!TensorCheck(*t, why).present(role)) return false;
  }
  const size_t n = op.input.dims->size();
  for (const auto& [t, role] : tensors) {
    TensorCheck check(*t, why);
    if (!check.rank(n == 4 || n == 5 ? n : 0) || !check.positive_dims() || !check.unvectorized())
      return false;
  }
  std::optional<DataType> first;
  for (const auto& [t, role] : tensors) {
    const auto dt = TensorCheck(*t, why).data_type();
    if (!dt) return false;
    if (first && *dt != *first) {
      *why = fmt::format("{} is {} but {} is {}: convprobe probes one data type for all three tensors",
                         op.input.name, op.input.data_type, t->name, t->data_type);
      return false;
    }
    first = dt;
  }
  *type = *first;
  return true;
}

bool check_layout(const OpFields& op, Layout* layout, std::string* why) {
  std::vector<Layout> common = {Layout::nchw, Layout::nhwc};
  for (const TensorFields* t : {&op.input, &op.filter, &op.output}) {
    const auto ls = TensorCheck(*t, why).layouts();
    if (ls.empty()) return false;
    std::erase_if(common, [&](Layout l) { return std::find(ls.begin(), ls.end(), l) == ls.end(); });
    if (common.empty()) {
      *why = fmt::format(
          "{} is packed {} unlike the tensors before it: convprobe probes x, w and y in one layout", t->name,
          to_string(ls.front()));
      return false;
    }
  }
  *layout = common.front();  // nchw when both fit, as a descriptor without a layout reads
  return true;
}

/// A spatial list of convDesc: present, one entry per spatial axis, each at least `min`.
bool spatial_list(const std::optional<Dims>& list, const char* name, size_t k, int64_t min,
                  const char* meaning, std::string* why) {
  if (!list) {
    *why = fmt::format("convDesc has no {}", name);
    return false;
  }
  if (list->size() != k) {
    *why = fmt::format("convDesc {} {} has {} entries for {} spatial dimensions", name, list_text(*list),
                       list->size(), k);
    return false;
  }
  for (int64_t v : *list) {
    if (v < min) {
      *why = fmt::format("convDesc {} {}: expected {}", name, list_text(*list), meaning);
      return false;
    }
  }
  return true;
}

bool check_conv(const ConvFields& c, size_t k, std::string* why) {
  if (!c.seen) {
    *why = "the record has no convDesc";
    return false;
  }
  if (c.mode != "CUDNN_CROSS_CORRELATION") {
    *why = c.mode == "CUDNN_CONVOLUTION"
               ? "convDesc mode CUDNN_CONVOLUTION (a true convolution, the filter flipped): convprobe probes "
                 "CUDNN_CROSS_CORRELATION only"
               : fmt::format("convDesc mode {}: convprobe probes CUDNN_CROSS_CORRELATION only",
                             c.mode.empty() ? "(none)" : c.mode);
    return false;
  }
  if (c.compute_type != "CUDNN_DATA_FLOAT") {
    *why = fmt::format("convDesc compute type {}: convprobe probes float accumulation (CUDNN_DATA_FLOAT)",
                       c.compute_type.empty() ? "(none)" : c.compute_type);
    return false;
  }
  if (c.spatial_dims && *c.spatial_dims != static_cast<int64_t>(k)) {
    *why = fmt::format("convDesc has {} spatial dimensions but the tensors {}", *c.spatial_dims, k);
    return false;
  }
  const char* const pads = ">= 0 (cuDNN pads are not negative)";
  if (c.pad && !spatial_list(c.pad, "padA", k, 0, pads, why)) return false;
  if (!c.pad && (!spatial_list(c.pre_pad, "lowerPadA", k, 0, pads, why) ||
                 !spatial_list(c.post_pad, "upperPadA", k, 0, pads, why))) {
    return false;
  }
  return spatial_list(c.stride, "strideA", k, 1, ">= 1", why) &&
         spatial_list(c.dilation, "dilationA", k, 1, ">= 1 (cuDNN's 1 is no dilation)", why);
}

/// Groups: groupCount when the log gives it, else x.C / w.C (the graph API has no group attribute).
bool groups_of(const OpFields& op, int64_t* g, std::string* why) {
  const int64_t c = (*op.input.dims)[1];
  const int64_t c_per_group = (*op.filter.dims)[1];
  const int64_t k = (*op.filter.dims)[0];
  if (op.conv.groups) {
    *g = *op.conv.groups;
    if (*g < 1 || c != detail::sat_mul(*g, c_per_group)) {
      *why =
          fmt::format("convDesc groupCount {} with {} C {} and {} C {}: expected C = groupCount x filter C",
                      *g, op.input.name, c, op.filter.name, c_per_group);
      return false;
    }
  } else {
    if (c % c_per_group != 0) {
      *why = fmt::format("{} C {} is not a multiple of {} C {} (the channels of one group)", op.input.name, c,
                         op.filter.name, c_per_group);
      return false;
    }
    *g = c / c_per_group;
  }
  if (k % *g == 0) return true;
  *why = fmt::format("{} K {} is not a multiple of the {} groups", op.filter.name, k, *g);
  return false;
}

/// The problem's fields from the checked descriptors; spatial axes fill {d, h, w} from the back.
Problem assemble(const OpFields& op, DataType type, Layout layout, int64_t g) {
  const Dims& x = *op.input.dims;
  const Dims& w = *op.filter.dims;
  const size_t k = x.size() - 2;
  const ConvFields& c = op.conv;
  Problem p;
  p.dir = op.dir;
  p.type = type;
  p.layout = layout;
  p.spatial_dims = static_cast<int>(k);
  p.g = g;
  p.mb = x[0];
  p.ic = x[1];
  p.oc = w[0];
  for (size_t i = 0; i < k; ++i) {
    const size_t axis = 3 - k + i;
    p.in[axis] = x[2 + i];
    p.kernel[axis] = w[2 + i];
    p.stride[axis] = (*c.stride)[i];
    p.pad_begin[axis] = c.pad ? (*c.pad)[i] : (*c.pre_pad)[i];
    p.pad_end[axis] = c.pad ? (*c.pad)[i] : (*c.post_pad)[i];
    p.dilation[axis] = (*c.dilation)[i] - 1;
  }
  return p;
}

/// y (dy) must be what the convolution writes (reads): cuDNN refuses the call otherwise.
bool check_output(const OpFields& op, const Problem& p, std::string* why) {
  Dims want = {p.mb, p.oc};
  const auto out = p.out();
  for (int axis = 3 - p.spatial_dims; axis < 3; ++axis) want.push_back(out[axis]);
  if (*op.output.dims == want) return true;
  *why = fmt::format("{} dimA {} is not this convolution's output {}", op.output.name,
                     list_text(*op.output.dims), list_text(want));
  return false;
}

}  // namespace

bool to_problem(const OpFields& op, Problem* out, std::string* why) {
  if (!op.error.empty()) {
    *why = op.error;
    return false;
  }
  DataType type = DataType::f32;
  Layout layout = Layout::nchw;
  int64_t g = 1;
  if (!check_tensors(op, &type, why) || !check_conv(op.conv, op.input.dims->size() - 2, why) ||
      !groups_of(op, &g, why) || !check_layout(op, &layout, why)) {
    return false;
  }
  Problem p = assemble(op, type, layout, g);
  if (const std::string invalid = validate(p); !invalid.empty()) {
    *why = "not a valid convolution: " + invalid;
    return false;
  }
  if (!check_output(op, p, why)) return false;
  *out = std::move(p);
  return true;
}

}  // namespace convprobe::sources::cudnn_log
