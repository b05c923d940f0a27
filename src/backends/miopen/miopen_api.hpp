// Our own minimal declarations of the MIOpen and HIP C entry points this plugin calls, as function-pointer
// types resolved with dlsym. Written from the documented API (../shared/FACTS.md §3: MIOpen's
// include/miopen/miopen.h and HIP's hip_runtime_api.h), never copied from their headers: we only need the
// ABI of the calls we make, and building without ROCm installed is the point.
#pragma once

#include <cstddef>
#include <cstdint>

namespace convprobe::miopen_abi {

// Opaque handles: pointers on both sides.
using Handle = void*;            // miopenHandle_t
using TensorDescriptor = void*;  // miopenTensorDescriptor_t
using ConvDescriptor = void*;    // miopenConvolutionDescriptor_t
using Stream = void*;            // hipStream_t
using Event = void*;             // hipEvent_t

using Status = int;  // miopenStatus_t
inline constexpr Status kSuccess = 0, kNotInitialized = 1, kInvalidValue = 2, kBadParm = 3, kAllocFailed = 4,
                        kInternalError = 5, kNotImplemented = 6, kUnknownError = 7;

// miopenDataType_t
inline constexpr int kHalf = 0, kFloat = 1, kBFloat16 = 5;
// miopenConvolutionMode_t: cross-correlation
inline constexpr int kConvolution = 0;

/// miopenConvSolution_t
struct ConvSolution {
  float time;
  size_t workspace_size;
  uint64_t solution_id;
  int algorithm;  // miopenConvAlgorithm_t: GEMM 0, Direct 1, FFT 2, Winograd 3, ImplicitGEMM 5
};

/// miopenConvAlgoPerf_t: a union of three int enums, then time and workspace.
struct ConvAlgoPerf {
  int algo;
  float time;
  size_t memory;
};

// --- MIOpen (all return miopenStatus_t) ---
using CreateFn = Status (*)(Handle*);
using DestroyFn = Status (*)(Handle);
using GetStreamFn = Status (*)(Handle, Stream*);
using GetVersionFn = Status (*)(size_t*, size_t*, size_t*);
using GetErrorStringFn = const char* (*)(Status);
using CreateTensorDescFn = Status (*)(TensorDescriptor*);
using SetTensorDescFn = Status (*)(TensorDescriptor, int dtype, int nb_dims, const int* dims,
                                   const int* strides);
using DestroyTensorDescFn = Status (*)(TensorDescriptor);
using CreateConvDescFn = Status (*)(ConvDescriptor*);
using InitConvNdDescFn = Status (*)(ConvDescriptor, int spatial_dims, const int* pads, const int* strides,
                                    const int* dilations, int mode);
using SetGroupCountFn = Status (*)(ConvDescriptor, int groups);
using DestroyConvDescFn = Status (*)(ConvDescriptor);
using GetSolverIdAlgoFn = Status (*)(uint64_t solver_id, int* algorithm);

// The per-direction immediate-mode calls share one shape: (handle, A, B, conv, C, ...), where (A, B, C) is
// Fwd (w, x, y), BwdData (dy, w, dx), BwdWeights (dy, x, dw).
using GetSolutionCountFn = Status (*)(Handle, TensorDescriptor, TensorDescriptor, ConvDescriptor,
                                      TensorDescriptor, size_t* count);
using GetSolutionFn = Status (*)(Handle, TensorDescriptor, TensorDescriptor, ConvDescriptor, TensorDescriptor,
                                 size_t max_count, size_t* count, ConvSolution* solutions);
using GetSolutionWorkspaceSizeFn = Status (*)(Handle, TensorDescriptor, TensorDescriptor, ConvDescriptor,
                                              TensorDescriptor, uint64_t solution_id, size_t* workspace);
using CompileSolutionFn = Status (*)(Handle, TensorDescriptor, TensorDescriptor, ConvDescriptor,
                                     TensorDescriptor, uint64_t solution_id);
/// (handle, A, a, B, b, conv, C, c, workspace, workspace_size, solution_id)
using ImmediateFn = Status (*)(Handle, TensorDescriptor, const void*, TensorDescriptor, const void*,
                               ConvDescriptor, TensorDescriptor, void*, void*, size_t, uint64_t);
/// Find: (handle, P, p, Q, q, conv, R, r, request, returned*, perf*, workspace, size, exhaustive), where
/// (P, Q, R) is Fwd (x, w, y), BwdData (dy, w, dx), BwdWeights (dy, x, dw).
using FindFn = Status (*)(Handle, TensorDescriptor, const void*, TensorDescriptor, const void*,
                          ConvDescriptor, TensorDescriptor, void*, int request, int* returned,
                          ConvAlgoPerf* perf, void* workspace, size_t workspace_size, bool exhaustive);

// --- HIP (all return hipError_t, 0 = hipSuccess) ---
using HipError = int;
inline constexpr int kMemcpyHostToDevice = 1, kMemcpyDeviceToHost = 2;
using HipGetDeviceCountFn = HipError (*)(int*);
using HipSetDeviceFn = HipError (*)(int);
using HipGetDevicePropertiesFn = HipError (*)(void* props, int device);
using HipRuntimeGetVersionFn = HipError (*)(int*);
using HipDriverGetVersionFn = HipError (*)(int*);
using HipGetErrorStringFn = const char* (*)(HipError);
using HipMallocFn = HipError (*)(void**, size_t);
using HipFreeFn = HipError (*)(void*);
using HipMemGetInfoFn = HipError (*)(size_t* free_bytes, size_t* total_bytes);
using HipMemcpyFn = HipError (*)(void* dst, const void* src, size_t bytes, int kind);
using HipDeviceSynchronizeFn = HipError (*)();
using HipEventCreateFn = HipError (*)(Event*);
using HipEventDestroyFn = HipError (*)(Event);
using HipEventRecordFn = HipError (*)(Event, Stream);
using HipEventSynchronizeFn = HipError (*)(Event);
using HipEventElapsedTimeFn = HipError (*)(float* ms, Event start, Event stop);

// hipDeviceProp_t layouts (x86-64), computed from HIP's headers at the tags named:
//  rocm-6.0.0 .. c5e11fc: hipDeviceProp_tR0600 (hipGetDevicePropertiesR0600), 1472 bytes;
//  rocm-5.0.0 .. 5.7.1:   the pre-6.0 hipDeviceProp_t (plain hipGetDeviceProperties), 792 bytes.
struct DevicePropLayout {
  size_t size;
  size_t gcn_arch_name;          // char[256]
  size_t multi_processor_count;  // int
};
inline constexpr DevicePropLayout kPropsR0600{1472, 1160, 388};
inline constexpr DevicePropLayout kPropsPre600{792, 396, 336};
/// Bytes we hand to hipGetDeviceProperties*: more than either layout, so a later, larger struct cannot
/// overrun our buffer (the name at offset 0 stays where it is).
inline constexpr size_t kPropsBufferBytes = 8192;

/// Exported by convprobe's test doubles only; a library that has it is never loaded by the real search.
inline constexpr const char* kTestDoubleMarker = "convprobe_test_double_marker";

}  // namespace convprobe::miopen_abi
