// The PyTorch recorder's output (python/convprobe_torch, docs/torch-recorder.md): a JSON document
//   {"format": "convprobe-torch-record", "version": 1, "torch": ..., "model": ..., "records": [...]}
// whose records are the aten.convolution / aten.convolution_backward calls a model made, with their
// arguments as PyTorch passed them (dilation 1 = none, symmetric padding, ConvTranspose as transposed=true).
#pragma once

#include <string>
#include <string_view>

#include "sources/tally.hpp"

namespace convprobe::sources {

/// True when `head` (the first bytes of a file) is a JSON object whose "format" is
/// "convprobe-torch-record". The recorder writes "format" first, so a few hundred bytes suffice.
[[nodiscard]] bool looks_like_torch_record(std::string_view head);

/// Every record as problems, 1 run each (a shape the model runs three times counts 3):
///   - "convolution": one fwd problem; transposed (ConvTranspose) is the bwd_data of the forward
///     convolution whose backward it is (input and output swap roles, the weight is the same tensor);
///   - "convolution_backward": bwd_data when output_mask[0], bwd_weights when output_mask[1] (mask[2], the
///     bias, is no convolution); transposed: the gradient of the input is a fwd of that forward convolution,
///     the gradient of the weight its bwd_weights.
/// float32 -> f32, float16 -> f16, bfloat16 -> bf16; channels_last -> nhwc; rank 3/4/5 -> 1-/2-/3-D. The
/// label is the record's module name, else "<origin>: record #i" (1-based). A record convprobe cannot express
/// (another dtype, inconsistent shapes, an invalid problem) is tally->reject("<origin>: record #i
/// (<module>)", why). Returns false with *err (naming `origin`) when the text is not JSON, not this format or
/// another version; then nothing is added.
bool read_torch_record(std::string_view json_text, const std::string& origin, Tally* tally, std::string* err);

}  // namespace convprobe::sources
