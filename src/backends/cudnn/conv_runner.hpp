// A prepared cuDNN computation for one (problem, candidate): its workspace need and a launch that the trial
// runner can repeat (and capture into a CUDA graph). Legacy algorithms and graph-API plans both produce one.
#pragma once

#include <cudnn.h>

#include <cstddef>

namespace convprobe::cudnn {

/// Device pointers of the three tensors of one buffer set (x/dx, w/dw, y/dy).
struct BufferSet {
  void* src = nullptr;
  void* wei = nullptr;
  void* dst = nullptr;
};

class ConvRunner {
 public:
  virtual ~ConvRunner() = default;
  [[nodiscard]] virtual size_t workspace_bytes() const = 0;
  /// Bind the tensors and the workspace once, before any launch (so per-launch host work stays out of the
  /// timed region). Throws CudnnError.
  virtual void bind(const BufferSet& buffers, void* workspace) = 0;
  /// Enqueue one run on the handle's stream.
  virtual cudnnStatus_t launch() = 0;
};

}  // namespace convprobe::cudnn
