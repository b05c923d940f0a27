// Every Conv and ConvTranspose of an ONNX model as convprobe problems, after ONNX's own shape inference
// (docs/problems.md, "From an ONNX model"). A ConvTranspose is the backward-data pass of the convolution
// whose transpose it is; int8 convolutions are counted, not probed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "sources/tally.hpp"

namespace convprobe::sources {

struct OnnxOptions {
  int64_t batch = -1;                   ///< value for a symbolic batch dimension (--batch N)
  std::map<std::string, int64_t> dims;  ///< values for named symbolic dims (--dim NAME=V), optional extra
  /// How long ONNX's shape inference may take (it runs in a child process:
  /// src/sources/onnx_shape_inference.hpp).
  int64_t inference_timeout_ms = 60000;
};

/// True when `head` (the first bytes of a file; 4 are enough) looks like a serialized onnx.ModelProto. A
/// cheap sniff, not a parse: every writer (onnx.save, torch.onnx.export) sets ir_version, field 1, which
/// protobuf writes first, so byte 0 is its tag 0x08 and byte 1 its value as a one-byte varint (1..127; ONNX's
/// IR versions are 1..10); byte 2, when present, must start the tag of another ModelProto field (2
/// producer_name, 3 producer_version, 4 domain, 5 model_version, 6 doc_string, 7 graph, 8 opset_import, 14
/// metadata_props, 20 training_info, 25 functions). read_onnx_model's parse is the final word.
[[nodiscard]] bool looks_like_onnx(std::string_view head);

/// Every Conv and ConvTranspose node (of the main graph and of subgraphs: If, Loop, Scan bodies) after ONNX
/// shape inference (run in a child process with options.inference_timeout_ms as deadline; a crash or a
/// timeout there is a warning), each adding one run. Returns false and sets *err only when the file cannot be
/// read or is not a model, naming the file and what was expected. A node that cannot be a problem is a
/// rejection, "<file>: node '<name>' (<op>)" (a node without a name: "node #<index>"), with the reason;
/// QLinearConv, ConvInteger, DeformConv and convolutions of other domains are skips.
bool read_onnx_model(const std::string& path, const OnnxOptions& options, Tally* tally, std::string* err);

}  // namespace convprobe::sources
