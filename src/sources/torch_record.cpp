// The recorder's JSON as problems. Every record names the forward convolution F it belongs to: F itself for
// a plain convolution; for a transposed one (ConvTranspose, y = F^T x), the convolution F whose input has the
// transposed call's output shape and whose output has its input shape, with the same weight tensor
// [C_in_T, C_out_T / g, k...] = [K_F, C_F / g, k...]. Then the direction says what the call computes of F.
#include "sources/torch_record.hpp"

#include <fmt/core.h>

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/text.hpp"

namespace convprobe::sources {

namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "convprobe-torch-record";
constexpr int64_t kVersion = 1;
/// Every integer of a record is at most this in magnitude, so the arithmetic below cannot overflow.
constexpr int64_t kMaxValue = int64_t{1} << 30;

/// One recorded aten call, its fields as the recorder wrote them.
struct Call {
  std::string op, module, dtype;
  std::vector<int64_t> input, weight, output, stride, padding, dilation, output_padding;
  bool transposed = false;
  bool channels_last = false;
  int64_t groups = 1;
  std::vector<bool> mask;  ///< convolution_backward's output_mask: grad input, grad weight, grad bias
};

std::string shape_text(const std::vector<int64_t>& v) {
  std::vector<std::string> items;
  for (int64_t x : v) items.push_back(std::to_string(x));
  return fmt::format("[{}]", join(items, ", "));
}

/// Reads rec[field] as a list of integers; a missing optional field leaves *out empty.
bool read_ints(const json& rec, const char* field, bool required, std::vector<int64_t>* out,
               std::string* why) {
  const auto it = rec.find(field);
  if (it == rec.end()) {
    if (required) *why = fmt::format("missing \"{}\": expected a list of integers", field);
    return !required;
  }
  if (!it->is_array()) {
    *why = fmt::format("\"{}\" is {}: expected a list of integers", field, it->dump());
    return false;
  }
  for (const auto& v : *it) {
    if (!v.is_number_integer() || v.get<int64_t>() > kMaxValue || v.get<int64_t>() < -kMaxValue) {
      *why = fmt::format("\"{}\" is {}: expected a list of integers of magnitude at most {}", field,
                         it->dump(), kMaxValue);
      return false;
    }
    out->push_back(v.get<int64_t>());
  }
  return true;
}

template <typename T>
bool read_one(const json& rec, const char* field, bool required, const char* expected, T* out,
              std::string* why) {
  const auto it = rec.find(field);
  if (it == rec.end()) {
    if (required) *why = fmt::format("missing \"{}\": expected {}", field, expected);
    return !required;
  }
  const bool ok = std::is_same_v<T, bool>          ? it->is_boolean()
                  : std::is_same_v<T, std::string> ? it->is_string()
                                                   : it->is_number_integer();
  if (!ok) {
    *why = fmt::format("\"{}\" is {}: expected {}", field, it->dump(), expected);
    return false;
  }
  *out = it->get<T>();
  return true;
}

bool read_call(const json& rec, Call* c, std::string* why) {
  if (!rec.is_object()) {
    *why = fmt::format("{}: expected an object", rec.dump());
    return false;
  }
  if (!read_one(rec, "op", true, "\"convolution\" or \"convolution_backward\"", &c->op, why) ||
      !read_one(rec, "module", false, "a string", &c->module, why) ||
      !read_one(rec, "dtype", true, "a torch dtype name", &c->dtype, why) ||
      !read_ints(rec, "input", true, &c->input, why) || !read_ints(rec, "weight", true, &c->weight, why) ||
      !read_ints(rec, "output", false, &c->output, why) || !read_ints(rec, "stride", true, &c->stride, why) ||
      !read_ints(rec, "padding", true, &c->padding, why) ||
      !read_ints(rec, "dilation", true, &c->dilation, why) ||
      !read_ints(rec, "output_padding", false, &c->output_padding, why) ||
      !read_one(rec, "transposed", true, "true or false", &c->transposed, why) ||
      !read_one(rec, "groups", true, "an integer", &c->groups, why) ||
      !read_one(rec, "channels_last", false, "true or false", &c->channels_last, why))
    return false;
  if (c->op == "convolution_backward") {
    const auto it = rec.find("output_mask");
    if (it == rec.end() || !it->is_array() || it->size() < 2) {
      *why = fmt::format("\"output_mask\" is {}: expected [grad input, grad weight, grad bias] as booleans",
                         it == rec.end() ? "missing" : it->dump());
      return false;
    }
    for (const auto& m : *it) {
      if (!m.is_boolean()) {
        *why = fmt::format("\"output_mask\" is {}: expected booleans", it->dump());
        return false;
      }
      c->mask.push_back(m.get<bool>());
    }
  } else if (c->op != "convolution") {
    *why = fmt::format("op \"{}\": expected \"convolution\" or \"convolution_backward\"", c->op);
    return false;
  }
  return true;
}

bool data_type(const std::string& name, DataType* t, std::string* why) {
  if (name == "float32") {
    *t = DataType::f32;
  } else if (name == "float16") {
    *t = DataType::f16;
  } else if (name == "bfloat16") {
    *t = DataType::bf16;
  } else {
    *why = fmt::format("dtype \"{}\": convprobe probes float32, float16 and bfloat16", name);
    return false;
  }
  return true;
}

/// A per-axis argument as an array over the `dims` spatial axes: PyTorch passes one value per axis (one
/// value for all is read too); a missing list takes `fallback`.
bool per_axis(const std::vector<int64_t>& v, const char* name, size_t dims, int64_t fallback,
              std::vector<int64_t>* out, std::string* why) {
  if (v.empty() && fallback >= 0) {
    out->assign(dims, fallback);
  } else if (v.size() == 1 || v.size() == dims) {
    for (size_t a = 0; a < dims; ++a) out->push_back(v[v.size() == 1 ? 0 : a]);
  } else {
    *why = fmt::format("\"{}\" {} has {} values: expected {} (one per spatial axis)", name, shape_text(v),
                       v.size(), dims);
    return false;
  }
  return true;
}

/// The forward convolution F the call belongs to (header comment), in direction fwd.
bool forward_convolution(const Call& c, Problem* p, std::string* why) {
  const size_t rank = c.input.size();
  if (rank < 3 || rank > 5) {
    *why = fmt::format("input {} has rank {}: expected 3, 4 or 5 (a 1-D, 2-D or 3-D convolution)",
                       shape_text(c.input), rank);
    return false;
  }
  if (c.weight.size() != rank) {
    *why = fmt::format("weight {} has rank {}, input {} rank {}: expected the same", shape_text(c.weight),
                       c.weight.size(), shape_text(c.input), rank);
    return false;
  }
  const size_t dims = rank - 2;
  std::vector<int64_t> stride, pad, dil, opad;
  if (!data_type(c.dtype, &p->type, why) || !per_axis(c.stride, "stride", dims, -1, &stride, why) ||
      !per_axis(c.padding, "padding", dims, -1, &pad, why) ||
      !per_axis(c.dilation, "dilation", dims, -1, &dil, why) ||
      !per_axis(c.output_padding, "output_padding", dims, 0, &opad, why))
    return false;
  if (c.groups < 1) {
    *why = fmt::format("groups={}: expected a positive integer", c.groups);
    return false;
  }
  // The weight is [K_F, C_F / g, k...] in both cases; the input has C_F channels, or K_F when transposed.
  const int64_t input_channels = c.transposed ? c.weight[0] : c.weight[1] * c.groups;
  if (c.input[1] != input_channels) {
    *why = fmt::format("input {} has {} channels; weight {} with groups={} expects {}{}", shape_text(c.input),
                       c.input[1], shape_text(c.weight), c.groups, input_channels,
                       c.transposed ? " (transposed: weight[0])" : " (weight[1] * groups)");
    return false;
  }
  p->spatial_dims = static_cast<int>(dims);
  p->layout = c.channels_last ? Layout::nhwc : Layout::nchw;
  p->g = c.groups;
  p->mb = c.input[0];
  p->oc = c.weight[0];
  p->ic = c.weight[1] * c.groups;
  p->label = c.module;
  p->in = {1, 1, 1};  // the axes a 1-D or 2-D convolution does not have
  const size_t first = 3 - dims;
  for (size_t a = 0; a < dims; ++a) {
    const size_t axis = first + a;
    if (dil[a] < 1) {
      *why = fmt::format("dilation {}: expected values >= 1 (PyTorch's 1 = none)", shape_text(c.dilation));
      return false;
    }
    p->kernel[axis] = c.weight[2 + a];
    p->stride[axis] = stride[a];
    p->pad_begin[axis] = pad[a];
    p->dilation[axis] = dil[a] - 1;
    if (!c.transposed) {
      p->in[axis] = c.input[2 + a];
      p->pad_end[axis] = pad[a];
    } else {
      // F's input is the transposed call's output: (in - 1) * s - 2p + d (k - 1) + output_padding + 1. Its
      // last output_padding rows are read by no output of F: end padding p - output_padding gives F exactly
      // the transposed call's input extent (made canonical below).
      p->in[axis] =
          (c.input[2 + a] - 1) * stride[a] - 2 * pad[a] + dil[a] * (c.weight[2 + a] - 1) + opad[a] + 1;
      p->pad_end[axis] = pad[a] - opad[a];
    }
  }
  if (std::string invalid = validate(*p); !invalid.empty()) {
    *why = fmt::format("the convolution is not valid: {}", invalid);
    return false;
  }
  for (int axis = 0; axis < 3; ++axis) p->pad_end[axis] = p->canonical_pad_end(axis);
  // The output the recorder saw (the forward's, or the backward's grad_output) must be what F says.
  std::vector<int64_t> expected{p->mb, c.transposed ? p->ic : p->oc};
  const auto out = p->out();
  for (size_t a = 0; a < dims; ++a) expected.push_back(c.transposed ? p->in[first + a] : out[first + a]);
  if (!c.output.empty() && c.output != expected) {
    *why = fmt::format("output {} differs from {}, computed from input, weight and arguments",
                       shape_text(c.output), shape_text(expected));
    return false;
  }
  return true;
}

/// The directions of F the call computes (header comment).
std::vector<Direction> directions(const Call& c) {
  if (c.op == "convolution") return {c.transposed ? Direction::bwd_data : Direction::fwd};
  std::vector<Direction> dirs;
  if (c.mask[0]) dirs.push_back(c.transposed ? Direction::fwd : Direction::bwd_data);
  if (c.mask[1]) dirs.push_back(Direction::bwd_weights);
  return dirs;
}

void read_record(const json& rec, size_t number, const std::string& origin, Tally* tally, bool* saw_float32) {
  Call c;
  std::string why;
  const std::string name = fmt::format("{}: record #{}", origin, number);
  if (!read_call(rec, &c, &why)) {
    std::string module;
    if (rec.is_object() && rec.contains("module") && rec["module"].is_string()) module = rec["module"];
    tally->reject(module.empty() ? name : fmt::format("{} ({})", name, module), why);
    return;
  }
  Problem f;
  if (!forward_convolution(c, &f, &why)) {
    tally->reject(c.module.empty() ? name : fmt::format("{} ({})", name, c.module), why);
    return;
  }
  const auto dirs = directions(c);
  if (dirs.empty()) tally->skip("convolution_backward of the bias only");
  for (Direction d : dirs) {
    Problem p = f;
    p.dir = d;
    tally->add(std::move(p), name);
  }
  *saw_float32 = *saw_float32 || c.dtype == "float32";
}

}  // namespace

bool looks_like_torch_record(std::string_view head) {
  head = trim(head);
  if (head.empty() || head.front() != '{') return false;
  for (size_t pos = head.find("\"format\""); pos != std::string_view::npos;
       pos = head.find("\"format\"", pos + 1)) {
    std::string_view rest = trim(head.substr(pos + 8));
    if (rest.empty() || rest.front() != ':') continue;
    rest = trim(rest.substr(1));
    if (rest.starts_with(fmt::format("\"{}\"", kFormat))) return true;
  }
  return false;
}

bool read_torch_record(std::string_view json_text, const std::string& origin, Tally* tally,
                       std::string* err) {
  json doc;
  try {
    doc = json::parse(json_text.begin(), json_text.end());
  } catch (const json::parse_error& e) {
    *err = fmt::format("{}: not JSON: {}", origin, e.what());
    return false;
  }
  const auto format = doc.is_object() ? doc.find("format") : doc.end();
  if (!doc.is_object() || format == doc.end() || *format != kFormat) {
    *err = fmt::format("{}: not a PyTorch record (expected a JSON object with \"format\": \"{}\"{})", origin,
                       kFormat, format == doc.end() ? "" : fmt::format(", found {}", format->dump()));
    return false;
  }
  const auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer() || version->get<int64_t>() != kVersion) {
    *err = fmt::format(
        "{}: {} version {}: this convprobe reads version {} (convprobe_torch of the same release)", origin,
        kFormat, version == doc.end() ? "missing" : version->dump(), kVersion);
    return false;
  }
  const auto records = doc.find("records");
  if (records == doc.end() || !records->is_array()) {
    *err = fmt::format("{}: \"records\" is {}: expected a list", origin,
                       records == doc.end() ? "missing" : records->dump());
    return false;
  }
  bool saw_float32 = false;
  for (size_t i = 0; i < records->size(); ++i) read_record((*records)[i], i + 1, origin, tally, &saw_float32);
  if (saw_float32) {
    tally->warn(fmt::format(
        "{}: float32 convolutions are read as f32; on NVIDIA GPUs PyTorch runs them as tf32 by default "
        "(torch.backends.cudnn.allow_tf32), which the recorder cannot see: probe tf32 too for what cuDNN "
        "runs",
        origin));
  }
  return true;
}

}  // namespace convprobe::sources
