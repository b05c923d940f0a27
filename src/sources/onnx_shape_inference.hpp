// ONNX shape inference in a child process. ONNX 1.12's inference trusts the model it is given: a Conv whose
// weight has another rank than its input makes convPoolShapeInference read past the input's dims (SIGSEGV),
// and auto_pad SAME with a stride on a dim of 2^62 counts it down one stride at a time (hours). A file is
// input convprobe does not control, so the inference runs in a fork with a deadline; the worst a model can
// do is a warning. Only src/sources/onnx_model.cpp includes this header (it carries ONNX's types).
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>

namespace convprobe::sources {

/// Clears the values of floating-point initializers over 4 KiB, keeping dims and type: shape inference reads
/// only small tensors' values (Reshape's shape, Slice's starts, Resize's scales), and the model crosses a
/// pipe.
void drop_weight_values(onnx::ModelProto* model);

/// Runs onnx::shape_inference::InferShapes (error mode 0, data propagation on) on *model in a forked child
/// and replaces *model with the inferred model it sends back. Returns "" when the inference finished, else
/// what went wrong ("crashed (Segmentation fault)", "did not finish in 60 s", or the exception ONNX threw);
/// *model is then either unchanged or, after an exception, as far as the inference got. Forks: call it
/// before starting threads that may hold locks ONNX needs (a deadlocked child meets the deadline).
std::string infer_shapes_isolated(onnx::ModelProto* model, int64_t timeout_ms);

}  // namespace convprobe::sources
