// Reading field lines and gathering one operation's descriptors. Values are kept only as far as a
// convolution needs them (enum names, integers, short lists), so a record of any length costs bounded memory.
#include "sources/cudnn_log_fields.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

namespace convprobe::sources::cudnn_log {

namespace {

/// cuDNN's legacy descriptors take int; nothing convprobe can run comes near it, and staying below keeps
/// every size computed from these values far from int64 overflow.
constexpr int64_t kMaxMagnitude = std::numeric_limits<int32_t>::max();
/// How much of a value a message quotes.
constexpr size_t kQuoteChars = 64;

std::string quote(std::string_view value) {
  if (value.size() <= kQuoteChars) return std::string(value);
  return std::string(value.substr(0, kQuoteChars)) + "...";
}

/// "CUDNN_DATA_FLOAT (0)" -> "CUDNN_DATA_FLOAT".
std::string enum_name(std::string_view value) {
  return quote(value.substr(0, std::min(value.find(' '), value.size())));
}

std::optional<int64_t> parse_int(std::string_view text) {
  int64_t v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  if (v > kMaxMagnitude || v < -kMaxMagnitude) return std::nullopt;
  return v;
}

/// "[2,3,20,20]" -> {2, 3, 20, 20}; "[]" -> {}; nothing for anything else, or more than kMaxListEntries.
std::optional<std::vector<int64_t>> parse_list(std::string_view text) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return std::nullopt;
  text = text.substr(1, text.size() - 2);
  std::vector<int64_t> out;
  if (text.empty()) return out;
  while (true) {
    const size_t comma = text.find(',');
    const auto v = parse_int(text.substr(0, comma));
    if (!v || out.size() == kMaxListEntries) return std::nullopt;
    out.push_back(*v);
    if (comma == std::string_view::npos) return out;
    text = text.substr(comma + 1);
  }
}

constexpr std::string_view kOperationPrefix = "CUDNN_BACKEND_OPERATION_";
constexpr std::string_view kDescriptorSuffix = "_DESCRIPTOR";

enum class Role { none, input, filter, output };

/// Which tensor a descriptor is, by the names the API gives its parameters (cudnn_cnn.h) and the graph API's
/// operations print. gradDesc is dx for cudnnGetConvolutionBackwardDataAlgorithm_v7 (a tensor) and dw for
/// the bwd-filter functions (a filter).
Role role_of(std::string_view name, std::string_view type) {
  if (name == "xDesc" || name == "dxDesc" || name == "srcDesc") return Role::input;
  if (name == "wDesc" || name == "dwDesc" || name == "filterDesc") return Role::filter;
  if (name == "yDesc" || name == "dyDesc" || name == "destDesc" || name == "diffDesc") return Role::output;
  if (name == "gradDesc") return type == "cudnnFilterDescriptor_t" ? Role::filter : Role::input;
  return Role::none;
}

}  // namespace

std::optional<FieldLine> parse_field_line(std::string_view line) {
  if (line.size() < 3 || line[1] != '!' || (line[0] != 'i' && line[0] != 'w' && line[0] != 'e')) {
    return std::nullopt;
  }
  const size_t text = line.find_first_not_of(' ', 2);
  if (text == std::string_view::npos) return std::nullopt;
  const size_t spaces = text - 2;
  if (spaces < 1 || (spaces - 1) % 4 != 0) return std::nullopt;
  FieldLine f;
  f.level = static_cast<int>(std::min<size_t>((spaces - 1) / 4, 1000));
  std::string_view rest = line.substr(text);
  const size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  f.name = rest.substr(0, colon);
  rest = rest.substr(colon + 1);
  if (!rest.starts_with(" type=")) return f;
  rest = rest.substr(6);
  const size_t type_end = rest.find_first_of(";:");
  f.type = rest.substr(0, type_end);
  if (type_end == std::string_view::npos) return f;
  rest = rest.substr(type_end);
  if (rest == ":") {
    f.opens = true;
  } else if (rest.starts_with("; val=")) {
    f.value = rest.substr(6);
    if (f.value.ends_with(';')) f.value.remove_suffix(1);
  }
  return f;
}

bool is_operation_type(std::string_view type) {
  return type.starts_with(kOperationPrefix) && type.ends_with(kDescriptorSuffix);
}

std::optional<Direction> convolution_operation(std::string_view type) {
  if (type == "CUDNN_BACKEND_OPERATION_CONVOLUTION_FORWARD_DESCRIPTOR") return Direction::fwd;
  if (type == "CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_DATA_DESCRIPTOR") return Direction::bwd_data;
  if (type == "CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_FILTER_DESCRIPTOR") return Direction::bwd_weights;
  return std::nullopt;
}

OpReader::OpReader(Direction dir, int base_level) : base_level_(base_level) { op_.dir = dir; }

bool OpReader::take(const FieldLine& f) {
  if (f.level <= base_level_) return false;
  if (f.level == base_level_ + 1) {
    open_child(f);
  } else if (f.level == base_level_ + 2) {
    if (in_conv_) read_conv_field(f);
    if (tensor_ != nullptr) read_tensor_field(f);
  }
  return true;
}

void OpReader::open_child(const FieldLine& f) {
  tensor_ = nullptr;
  in_conv_ = false;
  if (!f.opens) return;
  if (f.name == "convDesc") {
    if (op_.conv.seen) fail("the operation has two convDesc");
    op_.conv.seen = in_conv_ = true;
    return;
  }
  const Role role = role_of(f.name, f.type);
  if (role == Role::none) return;
  TensorFields* t = role == Role::input ? &op_.input : role == Role::filter ? &op_.filter : &op_.output;
  if (t->seen)
    fail(fmt::format("the operation has two {} descriptors ({} and {})", t->name, t->name, f.name));
  *t = TensorFields{};
  t->seen = true;
  t->name = quote(f.name);
  tensor_ = t;
}

void OpReader::read_tensor_field(const FieldLine& f) {
  TensorFields& t = *tensor_;
  auto integer = [&](std::optional<int64_t>* out) {
    *out = parse_int(f.value);
    if (!*out)
      fail(fmt::format("{} {} '{}': expected an integer of magnitude at most {}", t.name, f.name,
                       quote(f.value), kMaxMagnitude));
  };
  auto list = [&](std::optional<std::vector<int64_t>>* out) {
    *out = parse_list(f.value);
    if (!*out) {
      fail(fmt::format("{} {} '{}': expected a list of at most {} integers of magnitude at most {}", t.name,
                       f.name, quote(f.value), kMaxListEntries, kMaxMagnitude));
    }
  };
  if (f.name == "dataType" || f.name == "type") {
    t.data_type = enum_name(f.value);
  } else if (f.name == "nbDims") {
    integer(&t.nb_dims);
  } else if (f.name == "dimA") {
    list(&t.dims);
  } else if (f.name == "strideA") {
    list(&t.strides);
  } else if (f.name == "format") {
    t.format = enum_name(f.value);
  } else if (f.name == "vect" || f.name == "vectorCount" || f.name == "vectCount") {
    integer(&t.vector_count);
  }
}

void OpReader::read_conv_field(const FieldLine& f) {
  ConvFields& c = op_.conv;
  auto list = [&](std::optional<std::vector<int64_t>>* out) {
    *out = parse_list(f.value);
    if (!*out) {
      fail(fmt::format("convDesc {} '{}': expected a list of at most {} integers of magnitude at most {}",
                       f.name, quote(f.value), kMaxListEntries, kMaxMagnitude));
    }
  };
  auto integer = [&](std::optional<int64_t>* out) {
    *out = parse_int(f.value);
    if (!*out) fail(fmt::format("convDesc {} '{}': expected an integer", f.name, quote(f.value)));
  };
  if (f.name == "mode") {
    c.mode = enum_name(f.value);
  } else if (f.name == "dataType" || f.name == "computeType") {
    c.compute_type = enum_name(f.value);
  } else if (f.name == "arrayLength" || f.name == "nbDims") {
    integer(&c.spatial_dims);
  } else if (f.name == "groupCount") {
    integer(&c.groups);
  } else if (f.name == "padA") {
    list(&c.pad);
  } else if (f.name == "lowerPadA") {
    list(&c.pre_pad);
  } else if (f.name == "upperPadA") {
    list(&c.post_pad);
  } else if (f.name == "strideA") {
    list(&c.stride);
  } else if (f.name == "dilationA") {
    list(&c.dilation);
  }
}

void OpReader::fail(std::string what) {
  if (op_.error.empty()) op_.error = std::move(what);
}

}  // namespace convprobe::sources::cudnn_log
