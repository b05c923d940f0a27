// Per-problem device state, built once and reused by every candidate of the problem (a worker runs one
// problem's candidates back to back): seeded inputs, an output slot, and the fp64 reference computed on the
// GPU — at every output point, or at a seeded sample of points for large problems (the rule of
// src/core/verify.hpp: output_elems x reduction_length > full_verify_max_macs).
#pragma once

#include <cuda_runtime_api.h>

#include <memory>
#include <string>
#include <vector>

#include "convprobe/candidate.hpp"
#include "convprobe/problem.hpp"
#include "convprobe/trial.hpp"
#include "core/verify.hpp"
#include "device_buffer.hpp"
#include "gpu_kernels.hpp"

namespace convprobe::cudnn {

[[nodiscard]] gpu::Storage storage_of(DataType t);
[[nodiscard]] gpu::ConvGeometry geometry_of(const Problem& p);
[[nodiscard]] gpu::Dims5 output_dims(const gpu::ConvGeometry& g);

/// Decide full vs sampled verification and pick the sample: sorted, distinct, seeded physical offsets.
/// Empty = verify every point. `max_full_points` caps the fp64 reference kept on the device.
[[nodiscard]] std::vector<int64_t> sample_offsets(const Problem& p, const TrialOptions& options,
                                                  int64_t max_full_points = int64_t{1} << 28);

/// Device tensors of one problem. `src`, `wei`, `dst` hold the direction's inputs (seeded) and its output
/// slot.
struct GpuProblem {
  std::string key;
  Problem problem;
  gpu::Storage storage = gpu::Storage::f32;
  gpu::ConvGeometry geometry;
  DeviceBuffer src, wei, dst;
  int64_t src_elems = 0, wei_elems = 0, dst_elems = 0;

  bool has_reference = false;
  bool sampled = false;
  int64_t points = 0;
  DeviceBuffer offsets;    ///< int64 physical offsets when sampled
  DeviceBuffer reference;  ///< double per point
  double ref_norm = 0;

  [[nodiscard]] void* output() const;
  [[nodiscard]] int64_t output_elems() const;
  [[nodiscard]] size_t element_bytes() const;
};

/// Holds the current problem's state; rebuilding when the problem, seed or verification settings change.
class GpuProblemCache {
 public:
  /// The state for (p, options): inputs on the device, and the reference when `need_reference`.
  GpuProblem& get(const Problem& p, const TrialOptions& options, bool need_reference, cudaStream_t stream);
  void clear() { current_.reset(); }

 private:
  std::unique_ptr<GpuProblem> current_;
};

/// Compare `out` (device, output layout) with the problem's reference: scan every element for NaN, Inf and
/// untouched poison on the GPU, then ||out - ref|| / ||ref|| over the points, judged by error_threshold().
[[nodiscard]] VerifyOutcome verify_on_gpu(const GpuProblem& gp, const Candidate& judged_as, const void* out,
                                          uint64_t seed, cudaStream_t stream);

}  // namespace convprobe::cudnn
