// What one convolution in a cuDNN API log record says: the record's field lines read one at a time
// ("i!         dimA: type=int; val=[2,3,20,20];"), the fields of its x/w/y descriptors and convDesc gathered
// per operation, and their translation into a Problem. cudnn_log.cpp decides which records count; this
// part reads only what one operation says, in the legacy spelling (dataType, padA, groupCount, filter
// format) and the graph API's (type, lowerPadA/upperPadA, tensor strides) alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "convprobe/problem.hpp"

namespace convprobe::sources::cudnn_log {

/// One field line: "i!" (or "w!", "e!"), 1 + 4 * level spaces, "name: type=T; val=V;" or, for a nested
/// descriptor whose fields follow one level deeper, "name: type=T:". Views into the line.
struct FieldLine {
  int level = 0;
  std::string_view name;
  std::string_view type;   ///< empty when the line has no "type=" ("handle: location=host; addr=...")
  std::string_view value;  ///< after "val=", without the final ';'
  bool opens = false;      ///< "name: type=T:" with nothing after it
};

/// The field line `line` holds, or nothing (a header, garbage, an indentation that is not 1 + 4k spaces).
[[nodiscard]] std::optional<FieldLine> parse_field_line(std::string_view line);

/// The direction of an operation descriptor type ("CUDNN_BACKEND_OPERATION_CONVOLUTION_FORWARD_DESCRIPTOR"),
/// or nothing for any other type.
[[nodiscard]] std::optional<Direction> convolution_operation(std::string_view type);
/// True for every CUDNN_BACKEND_OPERATION_*_DESCRIPTOR (not the operation graph's).
[[nodiscard]] bool is_operation_type(std::string_view type);

/// A tensor or filter descriptor as the log printed it. Lists hold at most kMaxListEntries entries.
struct TensorFields {
  bool seen = false;
  std::string name;  ///< as the log names it: "xDesc", "dyDesc", "filterDesc" (for messages)
  std::string data_type;
  std::optional<int64_t> nb_dims;
  std::optional<std::vector<int64_t>> dims;
  std::optional<std::vector<int64_t>> strides;  ///< tensors only; a legacy filter has a format instead
  std::string format;                           ///< legacy filters: CUDNN_TENSOR_NCHW, CUDNN_TENSOR_NHWC, ...
  std::optional<int64_t> vector_count;          ///< legacy "vect" (0 = none), graph "vectorCount" (1 = none)
};

struct ConvFields {
  bool seen = false;
  std::string mode;
  std::string compute_type;
  std::optional<int64_t> spatial_dims;  ///< legacy arrayLength, graph nbDims
  std::optional<int64_t> groups;        ///< legacy groupCount; the graph API has none
  std::optional<std::vector<int64_t>> pad, pre_pad, post_pad, stride, dilation;
};

/// Everything one convolution operation (a legacy call, a graph operation) said.
struct OpFields {
  Direction dir = Direction::fwd;
  TensorFields input;   ///< x, or dx of bwd-data
  TensorFields filter;  ///< w, or dw of bwd-weights
  TensorFields output;  ///< y, or dy of the backward directions
  ConvFields conv;
  std::string error;  ///< the first field that could not be read, naming it and its value; empty if none

  [[nodiscard]] bool any_descriptor() const { return input.seen || filter.seen || output.seen || conv.seen; }
};

inline constexpr size_t kMaxListEntries = 8;

/// Gathers the fields of one operation whose own line is at `base_level` (0 for a legacy call, whose
/// descriptors are the record's own fields): descriptors one level deeper, their fields two levels deeper.
class OpReader {
 public:
  OpReader(Direction dir, int base_level);
  /// Takes `f` if it belongs to this operation; false when it is outside (the operation has ended).
  bool take(const FieldLine& f);
  [[nodiscard]] const OpFields& fields() const { return op_; }

 private:
  void open_child(const FieldLine& f);
  void read_tensor_field(const FieldLine& f);
  void read_conv_field(const FieldLine& f);
  void fail(std::string what);

  OpFields op_;
  int base_level_;
  TensorFields* tensor_ = nullptr;  ///< the descriptor whose fields are being read, if a tensor
  bool in_conv_ = false;            ///< ... if convDesc
};

/// The problem `op` describes (label and runs left empty), or false and *why: the field, its value and what
/// convprobe accepts.
bool to_problem(const OpFields& op, Problem* out, std::string* why);

}  // namespace convprobe::sources::cudnn_log
