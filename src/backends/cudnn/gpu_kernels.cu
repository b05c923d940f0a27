#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "gpu_kernels.hpp"

namespace convprobe::cudnn::gpu {
namespace {

constexpr int kThreads = 256;

__host__ __device__ inline uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

int blocks_for(int64_t n, int threads = kThreads) {
  const int64_t b = (n + threads - 1) / threads;
  return static_cast<int>(b < 1 ? 1 : (b > 65535 * 4 ? 65535 * 4 : b));
}

// Storage access by type tag; values widen exactly to double.
template <Storage S>
struct Access;
template <>
struct Access<Storage::f32> {
  __device__ static double load(const void* p, int64_t i) { return static_cast<const float*>(p)[i]; }
  __device__ static void store(void* p, int64_t i, float v) { static_cast<float*>(p)[i] = v; }
  __device__ static void poison(void* p, int64_t i) { static_cast<uint32_t*>(p)[i] = kPoisonF32; }
  // 0 ok, 1 NaN, 2 Inf, 3 poison
  __device__ static int classify(const void* p, int64_t i) {
    const uint32_t b = static_cast<const uint32_t*>(p)[i];
    if (b == kPoisonF32) return 3;
    if ((b & 0x7f800000u) != 0x7f800000u) return 0;
    return (b & 0x007fffffu) != 0 ? 1 : 2;
  }
};
template <>
struct Access<Storage::f16> {
  __device__ static double load(const void* p, int64_t i) {
    return __half2float(__ushort_as_half(static_cast<const uint16_t*>(p)[i]));
  }
  __device__ static void store(void* p, int64_t i, float v) {
    static_cast<uint16_t*>(p)[i] = __half_as_ushort(__float2half_rn(v));
  }
  __device__ static void poison(void* p, int64_t i) { static_cast<uint16_t*>(p)[i] = kPoisonF16; }
  __device__ static int classify(const void* p, int64_t i) {
    const uint16_t b = static_cast<const uint16_t*>(p)[i];
    if (b == kPoisonF16) return 3;
    if ((b & 0x7c00u) != 0x7c00u) return 0;
    return (b & 0x03ffu) != 0 ? 1 : 2;
  }
};
template <>
struct Access<Storage::bf16> {
  __device__ static double load(const void* p, int64_t i) {
    return __bfloat162float(__ushort_as_bfloat16(static_cast<const uint16_t*>(p)[i]));
  }
  __device__ static void store(void* p, int64_t i, float v) {
    static_cast<uint16_t*>(p)[i] = __bfloat16_as_ushort(__float2bfloat16_rn(v));
  }
  __device__ static void poison(void* p, int64_t i) { static_cast<uint16_t*>(p)[i] = kPoisonBF16; }
  __device__ static int classify(const void* p, int64_t i) {
    const uint16_t b = static_cast<const uint16_t*>(p)[i];
    if (b == kPoisonBF16) return 3;
    if ((b & 0x7f80u) != 0x7f80u) return 0;
    return (b & 0x007fu) != 0 ? 1 : 2;
  }
};

template <Storage S>
__global__ void fill_random_kernel(void* data, int64_t n, uint64_t seed) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    const uint64_t r = splitmix64(seed ^ splitmix64(static_cast<uint64_t>(i)));
    const float mag = 0.0625f + 0.9375f * static_cast<float>(r >> 40) * (1.0f / 16777216.0f);
    Access<S>::store(data, i, (r & 1u) != 0 ? -mag : mag);
  }
}

template <Storage S>
__global__ void poison_kernel(void* data, int64_t n) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    Access<S>::poison(data, i);
  }
}

template <Storage S>
__global__ void scan_kernel(const void* data, int64_t n, ScanCounts* counts) {
  unsigned long long c[4] = {0, 0, 0, 0};
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    ++c[Access<S>::classify(data, i)];
  }
  if (c[1] != 0) atomicAdd(&counts->nan, c[1]);
  if (c[2] != 0) atomicAdd(&counts->inf, c[2]);
  if (c[3] != 0) atomicAdd(&counts->poison, c[3]);
}

struct Index5 {
  int64_t n, c, d, h, w;
};

__device__ inline int64_t offset_of(const Dims5& t, int64_t n, int64_t c, int64_t d, int64_t h, int64_t w) {
  return t.channels_last ? (((n * t.d + d) * t.h + h) * t.w + w) * t.c + c
                         : (((n * t.c + c) * t.d + d) * t.h + h) * t.w + w;
}

__device__ inline Index5 decode(const Dims5& t, int64_t off) {
  Index5 i{};
  if (t.channels_last) {
    i.c = off % t.c, off /= t.c;
    i.w = off % t.w, off /= t.w;
    i.h = off % t.h, off /= t.h;
    i.d = off % t.d, i.n = off / t.d;
  } else {
    i.w = off % t.w, off /= t.w;
    i.h = off % t.h, off /= t.h;
    i.d = off % t.d, off /= t.d;
    i.c = off % t.c, i.n = off / t.c;
  }
  return i;
}

// Input coordinate of output coordinate o and kernel tap k along one axis, or -1 when it falls in padding.
__device__ inline int64_t input_coord(const ConvGeometry& g, int axis, int64_t o, int64_t k, int64_t extent) {
  const int64_t i = o * g.stride[axis] - g.pad[axis] + k * g.dil[axis];
  return (i >= 0 && i < extent) ? i : -1;
}

// Output coordinate reached from input coordinate i by kernel tap k, or -1 (bwd_data's inverse mapping).
__device__ inline int64_t output_coord(const ConvGeometry& g, int axis, int64_t i, int64_t k,
                                       int64_t extent) {
  const int64_t num = i + g.pad[axis] - k * g.dil[axis];
  if (num < 0 || num % g.stride[axis] != 0) return -1;
  const int64_t o = num / g.stride[axis];
  return o < extent ? o : -1;
}

// One warp per output point; lanes split the reduction; fp64 throughout.
template <Storage S>
__global__ void reference_kernel(ConvGeometry g, const void* src, const void* wei, const void* dst,
                                 const int64_t* offsets, int64_t points, double* ref) {
  const int lane = threadIdx.x & 31;
  const int64_t warps = int64_t{gridDim.x} * (blockDim.x / 32);
  const Dims5& x = g.src;
  const Dims5& w = g.wei;
  const Dims5& y = g.dst;
  const int64_t taps = w.d * w.h * w.w;
  const int64_t cg = x.c / g.groups, kg = y.c / g.groups;
  for (int64_t p = (blockIdx.x * int64_t{blockDim.x} + threadIdx.x) / 32; p < points; p += warps) {
    const int64_t off = offsets != nullptr ? offsets[p] : p;
    double acc = 0;
    if (g.dir == 0) {
      const Index5 o = decode(y, off);  // (n, k, od, oh, ow)
      const int64_t group = o.c / kg;
      for (int64_t j = lane; j < cg * taps; j += 32) {
        const int64_t c = j / taps, tap = j % taps;
        const int64_t kt = tap / (w.h * w.w), kr = (tap / w.w) % w.h, ks = tap % w.w;
        const int64_t id = input_coord(g, 0, o.d, kt, x.d), ih = input_coord(g, 1, o.h, kr, x.h),
                      iw = input_coord(g, 2, o.w, ks, x.w);
        if (id < 0 || ih < 0 || iw < 0) continue;
        acc += Access<S>::load(src, offset_of(x, o.n, group * cg + c, id, ih, iw)) *
               Access<S>::load(wei, offset_of(w, o.c, c, kt, kr, ks));
      }
    } else if (g.dir == 1) {
      const Index5 i = decode(x, off);  // (n, c, id, ih, iw)
      const int64_t group = i.c / cg, cw = i.c % cg;
      for (int64_t j = lane; j < kg * taps; j += 32) {
        const int64_t k = group * kg + j / taps, tap = j % taps;
        const int64_t kt = tap / (w.h * w.w), kr = (tap / w.w) % w.h, ks = tap % w.w;
        const int64_t od = output_coord(g, 0, i.d, kt, y.d), oh = output_coord(g, 1, i.h, kr, y.h),
                      ow = output_coord(g, 2, i.w, ks, y.w);
        if (od < 0 || oh < 0 || ow < 0) continue;
        acc += Access<S>::load(dst, offset_of(y, i.n, k, od, oh, ow)) *
               Access<S>::load(wei, offset_of(w, k, cw, kt, kr, ks));
      }
    } else {
      const Index5 f = decode(w, off);  // (k, c/g, t, r, s)
      const int64_t c = (f.n / kg) * cg + f.c;
      const int64_t spatial = y.d * y.h * y.w;
      for (int64_t j = lane; j < y.n * spatial; j += 32) {
        const int64_t n = j / spatial, sp = j % spatial;
        const int64_t od = sp / (y.h * y.w), oh = (sp / y.w) % y.h, ow = sp % y.w;
        const int64_t id = input_coord(g, 0, od, f.d, x.d), ih = input_coord(g, 1, oh, f.h, x.h),
                      iw = input_coord(g, 2, ow, f.w, x.w);
        if (id < 0 || ih < 0 || iw < 0) continue;
        acc += Access<S>::load(dst, offset_of(y, n, f.n, od, oh, ow)) *
               Access<S>::load(src, offset_of(x, n, c, id, ih, iw));
      }
    }
    for (int shift = 16; shift > 0; shift /= 2) acc += __shfl_down_sync(0xffffffffu, acc, shift);
    if (lane == 0) ref[p] = acc;
  }
}

template <Storage S>
__global__ void error_norms_kernel(const void* out, const int64_t* offsets, const double* ref, int64_t points,
                                   double* sums) {
  __shared__ double partial[2][kThreads];
  double diff2 = 0, ref2 = 0;
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < points;
       i += int64_t{gridDim.x} * blockDim.x) {
    const double r = ref[i];
    const double d = Access<S>::load(out, offsets != nullptr ? offsets[i] : i) - r;
    diff2 += d * d;
    ref2 += r * r;
  }
  partial[0][threadIdx.x] = diff2;
  partial[1][threadIdx.x] = ref2;
  __syncthreads();
  for (int stride = kThreads / 2; stride > 0; stride /= 2) {
    if (threadIdx.x < stride) {
      partial[0][threadIdx.x] += partial[0][threadIdx.x + stride];
      partial[1][threadIdx.x] += partial[1][threadIdx.x + stride];
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    atomicAdd(&sums[0], partial[0][0]);
    atomicAdd(&sums[1], partial[1][0]);
  }
}

__global__ void never_ending_kernel(volatile int* never_set) {
  while (*never_set != 0x5eed) __nanosleep(1000);
}

__global__ void illegal_address_kernel() {
  // An address no allocation maps: the write faults and the context is lost (a sticky error).
  *reinterpret_cast<volatile int*>(uintptr_t{0xdead00000000ull}) = 1;
}

template <template <Storage> class K, typename... Args>
cudaError_t dispatch(Storage s, int blocks, int threads, cudaStream_t stream, Args... args) {
  switch (s) {
    case Storage::f32:
      K<Storage::f32>::launch(blocks, threads, stream, args...);
      break;
    case Storage::f16:
      K<Storage::f16>::launch(blocks, threads, stream, args...);
      break;
    case Storage::bf16:
      K<Storage::bf16>::launch(blocks, threads, stream, args...);
      break;
  }
  return cudaGetLastError();
}

template <Storage S>
struct FillLaunch {
  static void launch(int b, int t, cudaStream_t st, void* d, int64_t n, uint64_t seed) {
    fill_random_kernel<S><<<b, t, 0, st>>>(d, n, seed);
  }
};
template <Storage S>
struct PoisonLaunch {
  static void launch(int b, int t, cudaStream_t st, void* d, int64_t n) {
    poison_kernel<S><<<b, t, 0, st>>>(d, n);
  }
};
template <Storage S>
struct ScanLaunch {
  static void launch(int b, int t, cudaStream_t st, const void* d, int64_t n, ScanCounts* c) {
    scan_kernel<S><<<b, t, 0, st>>>(d, n, c);
  }
};
template <Storage S>
struct ReferenceLaunch {
  static void launch(int b, int t, cudaStream_t st, ConvGeometry g, const void* x, const void* w,
                     const void* y, const int64_t* off, int64_t points, double* ref) {
    reference_kernel<S><<<b, t, 0, st>>>(g, x, w, y, off, points, ref);
  }
};
template <Storage S>
struct NormsLaunch {
  static void launch(int b, int t, cudaStream_t st, const void* out, const int64_t* off, const double* ref,
                     int64_t points, double* sums) {
    error_norms_kernel<S><<<b, t, 0, st>>>(out, off, ref, points, sums);
  }
};

}  // namespace

cudaError_t fill_random(void* data, Storage s, int64_t elems, uint64_t seed, cudaStream_t stream) {
  return dispatch<FillLaunch>(s, blocks_for(elems), kThreads, stream, data, elems, seed);
}

cudaError_t fill_poison(void* data, Storage s, int64_t elems, cudaStream_t stream) {
  return dispatch<PoisonLaunch>(s, blocks_for(elems), kThreads, stream, data, elems);
}

cudaError_t scan_output(const void* data, Storage s, int64_t elems, ScanCounts* d_counts,
                        cudaStream_t stream) {
  return dispatch<ScanLaunch>(s, blocks_for(elems), kThreads, stream, data, elems, d_counts);
}

cudaError_t reference(const ConvGeometry& g, Storage s, const void* src, const void* wei, const void* dst,
                      const int64_t* d_offsets, int64_t points, double* d_ref, cudaStream_t stream) {
  constexpr int threads = 128;  // 4 points per block, one per warp
  return dispatch<ReferenceLaunch>(s, blocks_for(points * 32, threads), threads, stream, g, src, wei, dst,
                                   d_offsets, points, d_ref);
}

cudaError_t error_norms(const void* out, Storage s, const int64_t* d_offsets, const double* d_ref,
                        int64_t points, double* d_sums, cudaStream_t stream) {
  return dispatch<NormsLaunch>(s, blocks_for(points), kThreads, stream, out, d_offsets, d_ref, points,
                               d_sums);
}

cudaError_t launch_never_ending(cudaStream_t stream) {
  int* flag = nullptr;
  if (cudaError_t e = cudaMalloc(&flag, sizeof(int)); e != cudaSuccess) return e;
  if (cudaError_t e = cudaMemsetAsync(flag, 0, sizeof(int), stream); e != cudaSuccess) return e;
  never_ending_kernel<<<1, 1, 0, stream>>>(flag);
  return cudaGetLastError();  // the flag is never freed: the worker is killed while the kernel runs
}

cudaError_t launch_illegal_address(cudaStream_t stream) {
  illegal_address_kernel<<<1, 1, 0, stream>>>();
  return cudaGetLastError();
}

}  // namespace convprobe::cudnn::gpu
