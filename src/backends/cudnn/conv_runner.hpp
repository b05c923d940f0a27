// A prepared cuDNN computation for one (problem, candidate): its workspace need and a launch that the trial
// runner can repeat over rotating buffer sets. Legacy algorithms and graph-API plans both produce one.
#pragma once

#include <cudnn.h>

#include <cstddef>
#include <vector>

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
  /// Bind every buffer set and the workspace once, before any launch (so per-launch host work stays out of
  /// the timed region). Throws CudnnError.
  virtual void bind(const std::vector<BufferSet>& sets, void* workspace) = 0;
  /// Enqueue one run on the handle's stream over buffer set `set`.
  virtual cudnnStatus_t launch(size_t set) = 0;
};

}  // namespace convprobe::cudnn
