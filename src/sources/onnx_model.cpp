// ONNX models: parse, run ONNX's own shape inference, then turn each Conv / ConvTranspose into a Problem,
// checking the output size convprobe computes against the one ONNX inferred (docs/problems.md, "From an ONNX
// model"). Nothing here trusts the file: every value is range-checked before any arithmetic.
#include "sources/onnx_model.hpp"

#include <fmt/format.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sources/onnx_shape_inference.hpp"

namespace convprobe::sources {
namespace {

// Larger values are refused before any arithmetic: no model has an extent, kernel, stride or padding of a
// billion, and below this bound every size computed here fits in 64 bits.
constexpr int64_t kLimit = int64_t{1} << 30;

struct Dim {
  std::optional<int64_t> value;
  std::string name;  ///< dim_param when there is no value; empty when the dim is unknown altogether
};

/// What the model says of one value: element type and, when known, its dims.
struct TensorInfo {
  int32_t elem_type = 0;  ///< onnx::TensorProto::DataType; 0 = UNDEFINED
  bool has_shape = false;
  std::vector<Dim> dims;
};

using Types = std::unordered_map<std::string, TensorInfo>;

TensorInfo info_of(const onnx::TypeProto& type) {
  TensorInfo info;
  if (!type.has_tensor_type()) return info;
  const auto& tensor = type.tensor_type();
  info.elem_type = tensor.elem_type();
  info.has_shape = tensor.has_shape();
  for (const auto& d : tensor.shape().dim()) {
    Dim dim;
    if (d.has_dim_value()) {
      dim.value = d.dim_value();
    } else if (d.has_dim_param()) {
      dim.name = d.dim_param();
    }
    info.dims.push_back(std::move(dim));
  }
  return info;
}

TensorInfo info_of(const onnx::TensorProto& tensor) {
  TensorInfo info;
  info.elem_type = tensor.data_type();
  info.has_shape = true;
  for (const int64_t d : tensor.dims()) info.dims.push_back({d, {}});
  return info;
}

/// Adds what `graph` knows of its values to `types` (which, in a subgraph, holds the outer graphs' values).
/// A value with a shape is never replaced by one without; initializers come last, as the weights' truth.
void add_types(const onnx::GraphProto& graph, Types* types) {
  const auto put = [types](const std::string& name, TensorInfo info) {
    auto [it, fresh] = types->try_emplace(name);
    if (fresh || info.has_shape || !it->second.has_shape) it->second = std::move(info);
  };
  for (const auto* list : {&graph.input(), &graph.value_info(), &graph.output()}) {
    for (const auto& value : *list) put(value.name(), info_of(value.type()));
  }
  for (const auto& tensor : graph.initializer()) put(tensor.name(), info_of(tensor));
  for (const auto& sparse : graph.sparse_initializer()) {
    TensorInfo info = info_of(sparse.values());
    info.dims.clear();
    for (const int64_t d : sparse.dims()) info.dims.push_back({d, {}});
    put(sparse.values().name(), std::move(info));
  }
}

/// Gives symbolic dims of the graph's inputs the values named in --dim before shape inference, so that the
/// sizes after them infer to numbers.
void fill_named_dims(onnx::GraphProto* graph, const OnnxOptions& options) {
  if (options.dims.empty()) return;
  for (auto& input : *graph->mutable_input()) {
    if (!input.type().tensor_type().has_shape()) continue;  // mutable_shape() would declare a scalar
    for (auto& d : *input.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim()) {
      if (!d.has_dim_param()) continue;
      const auto it = options.dims.find(d.dim_param());
      if (it != options.dims.end()) d.set_dim_value(it->second);
    }
  }
}

/// The extents of a tensor ("input", "weight"), symbolic ones from the options; false + *why naming the dim.
/// On the input's dim 0 (the batch) --batch comes first.
bool extents(const TensorInfo& info, std::string_view role, bool batch_first, const OnnxOptions& options,
             std::vector<int64_t>* out, std::string* why) {
  out->clear();
  for (size_t i = 0; i < info.dims.size(); ++i) {
    const Dim& d = info.dims[i];
    const bool batch = batch_first && i == 0;
    const auto named = d.name.empty() ? options.dims.end() : options.dims.find(d.name);
    int64_t v = 0;
    if (d.value) {
      v = *d.value;
    } else if (batch && options.batch > 0) {
      v = options.batch;
    } else if (named != options.dims.end()) {
      v = named->second;
    } else if (d.name.empty()) {
      *why = fmt::format("{} dim {} is unknown (neither a value nor a name){}", role, i,
                         batch ? ": pass --batch N" : "");
      return false;
    } else {
      *why = batch ? fmt::format("{} dim {} is symbolic '{}': pass --batch N", role, i, d.name)
                   : fmt::format("{} dim {} is symbolic '{}': pass --dim {}=V", role, i, d.name, d.name);
      return false;
    }
    if (v < 1 || v > kLimit) {
      *why = fmt::format("{} dim {} is {}: expected 1 to {}", role, i, v, kLimit);
      return false;
    }
    out->push_back(v);
  }
  return true;
}

bool data_type(int32_t t, DataType* out, std::string* why) {
  switch (t) {
    case onnx::TensorProto::FLOAT:
      *out = DataType::f32;
      return true;
    case onnx::TensorProto::FLOAT16:
      *out = DataType::f16;
      return true;
    case onnx::TensorProto::BFLOAT16:
      *out = DataType::bf16;
      return true;
    default:
      break;
  }
  const std::string name = onnx::TensorProto_DataType_IsValid(t)
                               ? onnx::TensorProto_DataType_Name(static_cast<onnx::TensorProto_DataType>(t))
                               : fmt::format("{} (not an ONNX type)", t);
  *why = fmt::format("element type {}: expected FLOAT, FLOAT16 or BFLOAT16", name);
  return false;
}

/// The attributes of a Conv / ConvTranspose that shape the problem, ONNX's defaults filled in.
struct ConvAttributes {
  int64_t group = 1;
  std::string auto_pad = "NOTSET";
  std::vector<int64_t> kernel_shape;  ///< empty: from the weight
  std::vector<int64_t> strides, dilations, pads, output_padding;
  std::vector<int64_t> output_shape;  ///< ConvTranspose only; empty when not given
};

const onnx::AttributeProto* find_attribute(const onnx::NodeProto& node, std::string_view name) {
  for (const auto& a : node.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

std::string type_name(const onnx::AttributeProto& a) {
  return onnx::AttributeProto_AttributeType_IsValid(a.type())
             ? onnx::AttributeProto_AttributeType_Name(a.type())
             : fmt::format("type {}", static_cast<int>(a.type()));
}

/// INTS attribute `name` with `count` values, each in [min, kLimit], into *out (left as it is when absent).
bool read_ints(const onnx::NodeProto& node, std::string_view name, size_t count, int64_t min,
               std::vector<int64_t>* out, std::string* why) {
  const onnx::AttributeProto* a = find_attribute(node, name);
  if (a == nullptr) return true;
  if (a->type() != onnx::AttributeProto::INTS) {
    *why = fmt::format("attribute {} is {}: expected INTS", name, type_name(*a));
    return false;
  }
  if (static_cast<size_t>(a->ints_size()) != count) {
    *why = fmt::format("attribute {} has {} values: expected {}", name, a->ints_size(), count);
    return false;
  }
  for (const int64_t v : a->ints()) {
    if (v < min || v > kLimit) {
      *why = fmt::format("attribute {} holds {}: expected {} to {}", name, v, min, kLimit);
      return false;
    }
  }
  out->assign(a->ints().begin(), a->ints().end());
  return true;
}

bool read_attributes(const onnx::NodeProto& node, size_t n, bool transpose, ConvAttributes* at,
                     std::string* why) {
  at->strides.assign(n, 1);
  at->dilations.assign(n, 1);
  at->pads.assign(2 * n, 0);
  at->output_padding.assign(n, 0);
  if (const auto* a = find_attribute(node, "group")) {
    if (a->type() != onnx::AttributeProto::INT || a->i() < 1 || a->i() > kLimit) {
      *why =
          fmt::format("attribute group is {} {}: expected an INT of 1 to {}", type_name(*a), a->i(), kLimit);
      return false;
    }
    at->group = a->i();
  }
  if (const auto* a = find_attribute(node, "auto_pad")) {
    if (a->type() != onnx::AttributeProto::STRING) {
      *why = fmt::format("attribute auto_pad is {}: expected STRING", type_name(*a));
      return false;
    }
    at->auto_pad = a->s();
    if (at->auto_pad != "NOTSET" && at->auto_pad != "SAME_UPPER" && at->auto_pad != "SAME_LOWER" &&
        at->auto_pad != "VALID") {
      *why = fmt::format("attribute auto_pad is '{}': expected NOTSET, SAME_UPPER, SAME_LOWER or VALID",
                         at->auto_pad);
      return false;
    }
    if (at->auto_pad != "NOTSET" && find_attribute(node, "pads") != nullptr) {
      *why = fmt::format("attributes pads and auto_pad={} are both given: ONNX allows one", at->auto_pad);
      return false;
    }
  }
  return read_ints(node, "kernel_shape", n, 1, &at->kernel_shape, why) &&
         read_ints(node, "strides", n, 1, &at->strides, why) &&
         read_ints(node, "dilations", n, 1, &at->dilations, why) &&
         read_ints(node, "pads", 2 * n, 0, &at->pads, why) &&
         (!transpose || (read_ints(node, "output_padding", n, 0, &at->output_padding, why) &&
                         read_ints(node, "output_shape", n, 1, &at->output_shape, why)));
}

/// Padding before and after on axis `i` of a Conv: explicit, or what auto_pad makes of it. SAME_* pads to an
/// output of ceil(in / stride) and puts the odd one at the end (UPPER) or the beginning (LOWER).
void conv_padding(const ConvAttributes& at, size_t i, int64_t in, int64_t effective_kernel, int64_t* begin,
                  int64_t* end) {
  const int64_t stride = at.strides[i];
  if (at.auto_pad == "NOTSET") {
    *begin = at.pads[i];
    *end = at.pads[i + at.strides.size()];
  } else if (at.auto_pad == "VALID") {
    *begin = *end = 0;
  } else {
    const int64_t out = (in + stride - 1) / stride;
    const int64_t total = std::max<int64_t>(0, (out - 1) * stride + effective_kernel - in);
    const int64_t small = total / 2;
    *begin = at.auto_pad == "SAME_UPPER" ? small : total - small;
    *end = total - *begin;
  }
}

/// Axis `i` of a ConvTranspose as the forward convolution whose backward-data pass it is: that convolution's
/// input is the ConvTranspose's output (*out); its padding before is what the ConvTranspose crops from the
/// front of its full output; its padding after is whatever makes its output the ConvTranspose's input `in`,
/// so output_padding and output_shape end up there (smaller, even negative). Pads follow the ONNX spec: with
/// output_shape or SAME_* (output in * stride) the total is split as Conv's SAME_UPPER splits it when
/// auto_pad is SAME_UPPER, else with the odd one at the beginning.
void transpose_padding(const ConvAttributes& at, size_t i, int64_t in, int64_t effective_kernel, int64_t* out,
                       int64_t* begin, int64_t* end) {
  const int64_t stride = at.strides[i];
  const int64_t reach = stride * (in - 1) + effective_kernel;  // what the forward convolution covers
  const int64_t full = reach + at.output_padding[i];
  const bool same = at.auto_pad == "SAME_UPPER" || at.auto_pad == "SAME_LOWER";
  if (!at.output_shape.empty() || same) {
    *out = at.output_shape.empty() ? in * stride : at.output_shape[i];
    const int64_t total = full - *out;
    *begin = at.auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
  } else if (at.auto_pad == "VALID") {
    *begin = 0;
    *out = full;
  } else {
    *begin = at.pads[i];
    *out = full - at.pads[i] - at.pads[i + at.strides.size()];
  }
  *end = reach - *out - *begin;
}

/// The node's operands: extents of X and W, and what shape inference says of Y (nullopt where it knows no
/// number).
struct Operands {
  std::vector<int64_t> x, w;
  std::vector<std::optional<int64_t>> y;
  int32_t elem_type = 0;
};

bool read_operands(const onnx::NodeProto& node, const Types& types, const OnnxOptions& options, Operands* ops,
                   std::string* why) {
  if (node.input_size() < 2 || node.input(0).empty() || node.input(1).empty()) {
    *why = fmt::format("{} inputs: expected X and W", node.input_size());
    return false;
  }
  const auto x = types.find(node.input(0));
  if (x == types.end() || !x->second.has_shape) {
    *why = fmt::format("input '{}' has no shape (shape inference did not reach it)", node.input(0));
    return false;
  }
  const auto w = types.find(node.input(1));
  if (w == types.end() || !w->second.has_shape) {
    *why = fmt::format("weight '{}' has no shape (not an initializer, and shape inference did not reach it)",
                       node.input(1));
    return false;
  }
  if (!extents(x->second, "input", true, options, &ops->x, why)) return false;
  if (ops->x.size() < 3 || ops->x.size() > 5) {
    *why = fmt::format("input '{}' has rank {}: expected 3 to 5 (N, C and 1 to 3 spatial dims)",
                       node.input(0), ops->x.size());
    return false;
  }
  if (!extents(w->second, "weight", false, options, &ops->w, why)) return false;
  if (ops->w.size() != ops->x.size()) {
    *why = fmt::format("weight '{}' has rank {}: expected the input's rank {}", node.input(1), ops->w.size(),
                       ops->x.size());
    return false;
  }
  ops->elem_type = x->second.elem_type != 0 ? x->second.elem_type : w->second.elem_type;
  ops->y.assign(ops->x.size(), std::nullopt);
  if (node.output_size() < 1) return true;
  const auto y = types.find(node.output(0));
  if (y == types.end() || y->second.dims.size() != ops->x.size()) return true;
  for (size_t i = 0; i < ops->y.size(); ++i) ops->y[i] = y->second.dims[i].value;
  return true;
}

/// Channels and groups: Conv W is [oc, ic/g, k...], ConvTranspose W is [C_in, C_out/g, k...]; the problem's
/// ic, oc are those of the forward convolution (for a ConvTranspose: ic = C_out, oc = C_in).
bool channels(const Operands& ops, const ConvAttributes& at, bool transpose, Problem* p, std::string* why) {
  const int64_t g = at.group;
  if (!transpose && ops.w[1] * g != ops.x[1]) {
    *why = fmt::format("weight dim 1 is {} with group {}: expected input channels {} / group", ops.w[1], g,
                       ops.x[1]);
    return false;
  }
  if (transpose && ops.w[0] != ops.x[1]) {
    *why = fmt::format("weight dim 0 is {}: expected the input's channels {}", ops.w[0], ops.x[1]);
    return false;
  }
  p->g = g;
  p->mb = ops.x[0];
  p->ic = transpose ? ops.w[1] * g : ops.x[1];
  p->oc = transpose ? ops.x[1] : ops.w[0];
  const int64_t y_channels = transpose ? p->ic : p->oc;
  if (ops.y[1] && *ops.y[1] != y_channels) {
    *why =
        fmt::format("output dim 1 is {} after shape inference: convprobe computes {}", *ops.y[1], y_channels);
    return false;
  }
  return true;
}

/// The spatial axes; on a ConvTranspose, also that the forward convolution gives back its input.
bool geometry(const Operands& ops, const ConvAttributes& at, bool transpose, Problem* p, std::string* why) {
  const size_t n = ops.x.size() - 2;
  const size_t first = 3 - n;  // 1-D fills w, 2-D h and w, 3-D all three
  p->spatial_dims = static_cast<int>(n);
  p->in = {1, 1, 1};
  std::vector<int64_t> transposed_out(n);
  for (size_t i = 0; i < n; ++i) {
    const size_t a = first + i;
    const int64_t k = ops.w[2 + i];
    if (!at.kernel_shape.empty() && at.kernel_shape[i] != k) {
      *why = fmt::format("attribute kernel_shape[{}] is {}: the weight has {}", i, at.kernel_shape[i], k);
      return false;
    }
    const int64_t effective = (k - 1) * at.dilations[i] + 1;
    p->kernel[a] = k;
    p->stride[a] = at.strides[i];
    p->dilation[a] = at.dilations[i] - 1;
    if (transpose) {
      transpose_padding(at, i, ops.x[2 + i], effective, &p->in[a], &p->pad_begin[a], &p->pad_end[a]);
      transposed_out[i] = p->in[a];
    } else {
      p->in[a] = ops.x[2 + i];
      conv_padding(at, i, p->in[a], effective, &p->pad_begin[a], &p->pad_end[a]);
    }
  }
  if (const std::string invalid = validate(*p); !invalid.empty()) {
    *why = "not a convolution convprobe can run: " + invalid;
    return false;
  }
  const auto out = p->out();
  for (size_t i = 0; i < n; ++i) {
    const int64_t computed = transpose ? transposed_out[i] : out[first + i];
    if (ops.y[2 + i] && *ops.y[2 + i] != computed) {
      *why = fmt::format("output dim {} is {} after shape inference: convprobe computes {}", 2 + i,
                         *ops.y[2 + i], computed);
      return false;
    }
    if (transpose && out[first + i] != ops.x[2 + i]) {
      *why = fmt::format("the forward convolution of spatial dim {} gives {}, not the input's {}", i,
                         out[first + i], ops.x[2 + i]);
      return false;
    }
  }
  return true;
}

bool to_problem(const onnx::NodeProto& node, bool transpose, const Types& types, const OnnxOptions& options,
                Problem* p, std::string* why) {
  Operands ops;
  ConvAttributes at;
  if (!read_operands(node, types, options, &ops, why) ||
      !read_attributes(node, ops.x.size() - 2, transpose, &at, why) ||
      !data_type(ops.elem_type, &p->type, why)) {
    return false;
  }
  p->dir = transpose ? Direction::bwd_data : Direction::fwd;
  p->layout = Layout::nchw;
  return channels(ops, at, transpose, p, why) && geometry(ops, at, transpose, p, why);
}

bool standard_domain(const std::string& domain) { return domain.empty() || domain == "ai.onnx"; }

/// Walks one graph and, through graph attributes (If, Loop, Scan bodies), its subgraphs.
class GraphWalk {
 public:
  GraphWalk(const std::string& path, const OnnxOptions& options, Tally* tally)
      : path_(path), options_(options), tally_(tally) {}

  /// `scope`: empty for the main graph, else where the subgraph is ("node 'if' (If) then_branch: ").
  void walk(const onnx::GraphProto& graph, Types types, const std::string& scope) {
    add_types(graph, &types);
    for (int i = 0; i < graph.node_size(); ++i) {
      const onnx::NodeProto& node = graph.node(i);
      const std::string place = node.name().empty()
                                    ? fmt::format("{}node #{} ({})", scope, i, node.op_type())
                                    : fmt::format("node '{}' ({})", node.name(), node.op_type());
      visit(node, types, path_ + ": " + place);
      for (const auto& a : node.attribute()) {
        const std::string inner = place + " " + a.name() + ": ";
        if (a.has_g()) walk(a.g(), types, inner);
        for (const auto& g : a.graphs()) walk(g, types, inner);
      }
    }
  }

 private:
  void visit(const onnx::NodeProto& node, const Types& types, const std::string& where) {
    const std::string& op = node.op_type();
    if (!standard_domain(node.domain())) {
      if (op.find("Conv") != std::string::npos) {
        tally_->skip(fmt::format("convolution of domain '{}' ({})", node.domain(), op));
      }
      return;
    }
    if (op == "QLinearConv" || op == "ConvInteger") {
      tally_->skip(fmt::format("int8 convolution ({})", op));
    } else if (op == "DeformConv") {
      tally_->skip("deformable convolution (DeformConv)");
    } else if (op == "Conv" || op == "ConvTranspose") {
      Problem p;
      std::string why;
      if (to_problem(node, op == "ConvTranspose", types, options_, &p, &why)) {
        tally_->add(std::move(p), node.name().empty() ? where : node.name(), 1);
      } else {
        tally_->reject(where, why);
      }
    }
  }

  const std::string& path_;
  const OnnxOptions& options_;
  Tally* tally_;
};

}  // namespace

bool looks_like_onnx(std::string_view head) {
  const auto byte = [head](size_t i) { return static_cast<unsigned char>(head[i]); };
  if (head.size() < 2 || byte(0) != 0x08 || byte(1) < 1 || byte(1) > 0x7f) return false;
  if (head.size() < 3) return true;
  switch (byte(2)) {
    case 0x12:  // 2 producer_name
    case 0x1a:  // 3 producer_version
    case 0x22:  // 4 domain
    case 0x28:  // 5 model_version (varint)
    case 0x32:  // 6 doc_string
    case 0x3a:  // 7 graph
    case 0x42:  // 8 opset_import
    case 0x72:  // 14 metadata_props
      return true;
    case 0xa2:  // 20 training_info: two-byte tag a2 01
    case 0xca:  // 25 functions: two-byte tag ca 01
      return head.size() < 4 || byte(3) == 0x01;
    default:
      return false;
  }
}

bool read_onnx_model(const std::string& path, const OnnxOptions& options, Tally* tally, std::string* err) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    *err = fmt::format("cannot read ONNX model \"{}\": it is a directory", path);
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *err = fmt::format("cannot read ONNX model \"{}\": {}", path, std::strerror(errno));
    return false;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    *err = fmt::format("cannot read ONNX model \"{}\": {}", path, std::strerror(errno));
    return false;
  }
  if (bytes.empty()) {
    *err = fmt::format("{}: empty file: expected an ONNX model (a serialized onnx.ModelProto)", path);
    return false;
  }
  onnx::ModelProto model;
  if (bytes.size() > static_cast<size_t>(INT_MAX) || !model.ParseFromString(bytes)) {
    *err = fmt::format(
        "{}: not an ONNX model: its {} bytes do not parse as onnx.ModelProto (truncated, or another format?)",
        path, bytes.size());
    return false;
  }
  if (!model.has_graph()) {
    *err = fmt::format("{}: not an ONNX model: it parses as onnx.ModelProto but holds no graph", path);
    return false;
  }
  fill_named_dims(model.mutable_graph(), options);
  drop_weight_values(&model);
  if (const std::string trouble = infer_shapes_isolated(&model, options.inference_timeout_ms);
      !trouble.empty()) {
    tally->warn(fmt::format(
        "{}: ONNX shape inference {}; nodes without a shape the model declares are rejected", path, trouble));
  }
  GraphWalk(path, options, tally).walk(model.graph(), {}, "");
  return true;
}

}  // namespace convprobe::sources
