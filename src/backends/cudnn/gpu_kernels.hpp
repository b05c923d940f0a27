// The plugin's own CUDA kernels: seeded input fill, output poison and scan, the fp64 reference convolution
// (all directions) and the error norms. Plain structs only, so both nvcc and the C++20 sources include it.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

namespace convprobe::cudnn::gpu {

/// Storage type of device tensors (tf32 problems store f32).
enum class Storage { f32, f16, bf16 };

/// Poison bit patterns: quiet NaNs with a distinctive payload, so "never written" differs from "wrote NaN".
inline constexpr uint32_t kPoisonF32 = 0x7fedbeefu;
inline constexpr uint16_t kPoisonF16 = 0x7e6du;
inline constexpr uint16_t kPoisonBF16 = 0x7fedu;

/// Logical 5-D extents and layout of one tensor: activations (n, c, d, h, w), weights (k, c/g, t, r, s).
struct Dims5 {
  int64_t n = 1, c = 1, d = 1, h = 1, w = 1;
  bool channels_last = false;  ///< nhwc / ndhwc / krsc
};

/// Everything the reference needs about one convolution.
struct ConvGeometry {
  int dir = 0;  ///< 0 fwd (writes dst), 1 bwd_data (writes src), 2 bwd_weights (writes wei)
  int64_t groups = 1;
  Dims5 src, wei, dst;
  int64_t stride[3] = {1, 1, 1};
  int64_t pad[3] = {0, 0, 0};
  int64_t dil[3] = {1, 1, 1};  ///< effective dilation (>= 1), spatial order d, h, w
};

struct ScanCounts {
  unsigned long long nan = 0, inf = 0, poison = 0;
};

/// Uniform values in (-1, -1/16] U [1/16, 1) (never zero), rounded to the storage type; seeded and
/// independent of launch shape: element i depends only on (seed, i).
cudaError_t fill_random(void* data, Storage s, int64_t elems, uint64_t seed, cudaStream_t stream);
cudaError_t fill_poison(void* data, Storage s, int64_t elems, cudaStream_t stream);
/// Count NaN (other than poison), Inf and untouched poison over every element into *d_counts (device memory,
/// zeroed by the caller).
cudaError_t scan_output(const void* data, Storage s, int64_t elems, ScanCounts* d_counts,
                        cudaStream_t stream);

/// fp64 reference of the output tensor at `points` physical offsets (d_offsets, or 0..points-1 when null),
/// written to d_ref[i]. Inputs are read in storage type and widened exactly; products and sums in fp64.
cudaError_t reference(const ConvGeometry& g, Storage s, const void* src, const void* wei, const void* dst,
                      const int64_t* d_offsets, int64_t points, double* d_ref, cudaStream_t stream);
/// d_sums[0] += sum (out - ref)^2, d_sums[1] += sum ref^2 over the points (device memory, zeroed by caller).
cudaError_t error_norms(const void* out, Storage s, const int64_t* d_offsets, const double* d_ref,
                        int64_t points, double* d_sums, cudaStream_t stream);

/// Fault kernels for the self-test: one that never ends, one that writes to an unmapped address.
cudaError_t launch_never_ending(cudaStream_t stream);
cudaError_t launch_illegal_address(cudaStream_t stream);

}  // namespace convprobe::cudnn::gpu
