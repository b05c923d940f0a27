// The MIOpen test double: the C entry points the plugin calls, computing on the CPU with convprobe's fp64
// reference. It behaves as one MIOpen release does (CONVPROBE_MIOPEN_DOUBLE_VERSION = 5.2, 5.7, 6.x, 7.x;
// double_version.cpp): its solvers (double_registry.cpp), its variables and their parsing (double_env.cpp),
// its find modes, immediate listing and Find (double_find.cpp), its user find-db and perf-db files
// (double_finddb.cpp). Each behaviour cites the MIOpen source it follows. This file holds the descriptors and
// the exported entry points.
#include <algorithm>
#include <cstring>
#include <vector>

#include "double_env.hpp"
#include "double_find.hpp"
#include "double_registry.hpp"
#include "double_version.hpp"

#define DOUBLE_EXPORT extern "C" __attribute__((visibility("default")))

extern "C" int convprobe_test_hip_double_current_device();

namespace convprobe_double {
namespace {

using convprobe::Direction;
using convprobe::Problem;
using convprobe::TensorRole;

struct TensorDesc {
  int dtype = 1;
  std::vector<int> dims, strides;
};
struct ConvDesc {
  int spatial = 2;
  int pad[3] = {0, 0, 0}, stride[3] = {1, 1, 1}, dil[3] = {1, 1, 1};
  int groups = 1;
};

// The problem the descriptors describe, in convprobe's terms (x, w, y = src, wei, dst).
Problem make_problem(Direction dir, const TensorDesc& x, const TensorDesc& w, const ConvDesc& c) {
  Problem p;
  p.dir = dir;
  p.type = x.dtype == 0   ? convprobe::DataType::f16
           : x.dtype == 5 ? convprobe::DataType::bf16
                          : convprobe::DataType::f32;
  p.spatial_dims = c.spatial;
  p.layout = (x.strides.size() > 1 && x.strides[1] == 1 && x.dims[1] > 1) ? convprobe::Layout::nhwc
                                                                          : convprobe::Layout::nchw;
  p.mb = x.dims[0];
  p.ic = x.dims[1];
  p.oc = w.dims[0];
  p.g = c.groups;
  const int first = c.spatial == 3 ? 0 : 1;
  for (int a = first; a < 3; ++a) {
    const size_t i = static_cast<size_t>(2 + a - first);
    p.in[a] = x.dims[i];
    p.kernel[a] = w.dims[i];
    p.pad_begin[a] = p.pad_end[a] = c.pad[a - first];
    p.stride[a] = c.stride[a - first];
    p.dilation[a] = c.dil[a - first] - 1;
  }
  return p;
}

const TensorDesc& T(void* d) { return *static_cast<TensorDesc*>(d); }
Handle& H(void* h) { return *static_cast<Handle*>(h); }
const ConvDesc& C(void* d) { return *static_cast<ConvDesc*>(d); }

}  // namespace
}  // namespace convprobe_double

using namespace convprobe_double;
using convprobe::Direction;
using convprobe::TensorRole;

// A function, not a global array: both doubles define the symbol, and ASan reports two instrumented
// globals of one name in two loaded libraries as an ODR violation (the plugin only asks dlsym for it).
DOUBLE_EXPORT const char* convprobe_test_double_marker() { return "convprobe MIOpen test double"; }

DOUBLE_EXPORT int miopenCreate(void** h) {
  (void)env();  // read the environment once, at first use, like MIOpen
  auto* handle = new Handle;
  handle->device = convprobe_test_hip_double_current_device();  // a handle lives on the current device
  *h = handle;
  return kSuccess;
}
DOUBLE_EXPORT int miopenDestroy(void* h) {
  delete static_cast<Handle*>(h);
  return kSuccess;
}
DOUBLE_EXPORT int miopenGetStream(void* /*h*/, void** stream) {
  *stream = nullptr;
  return kSuccess;
}
DOUBLE_EXPORT int miopenGetVersion(size_t* major, size_t* minor, size_t* patch) {
  *major = static_cast<size_t>(version().major);  // 2.17.0 for ROCm 5.2, the report's version
  *minor = static_cast<size_t>(version().minor);
  *patch = static_cast<size_t>(version().patch);
  return kSuccess;
}
DOUBLE_EXPORT const char* miopenGetErrorString(int s) {
  static const char* const names[] = {"miopenStatusSuccess",        "miopenStatusNotInitialized",
                                      "miopenStatusInvalidValue",   "miopenStatusBadParm",
                                      "miopenStatusAllocFailed",    "miopenStatusInternalError",
                                      "miopenStatusNotImplemented", "miopenStatusUnknownError"};
  return s >= 0 && s <= 7 ? names[s] : "Unknown miopenStatus";
}
DOUBLE_EXPORT int miopenCreateTensorDescriptor(void** d) {
  *d = new TensorDesc;
  return kSuccess;
}
DOUBLE_EXPORT int miopenSetTensorDescriptor(void* d, int dtype, int nb, const int* dims, const int* strides) {
  if (nb < 4 || nb > 5 || (dtype != 0 && dtype != 1 && dtype != 5)) return kBadParm;
  auto& t = *static_cast<TensorDesc*>(d);
  t.dtype = dtype;
  t.dims.assign(dims, dims + nb);
  t.strides.assign(nb, 1);
  if (strides != nullptr) t.strides.assign(strides, strides + nb);
  return kSuccess;
}
DOUBLE_EXPORT int miopenDestroyTensorDescriptor(void* d) {
  delete static_cast<TensorDesc*>(d);
  return kSuccess;
}
DOUBLE_EXPORT int miopenCreateConvolutionDescriptor(void** d) {
  *d = new ConvDesc;
  return kSuccess;
}
DOUBLE_EXPORT int miopenInitConvolutionNdDescriptor(void* d, int spatial, const int* pad, const int* stride,
                                                    const int* dil, int mode) {
  if (mode != 0 || spatial < 2 || spatial > 3) return kBadParm;
  auto& c = *static_cast<ConvDesc*>(d);
  c.spatial = spatial;
  for (int i = 0; i < spatial; ++i) {
    c.pad[i] = pad[i];
    c.stride[i] = stride[i];
    c.dil[i] = dil[i];
  }
  return kSuccess;
}
DOUBLE_EXPORT int miopenSetConvolutionGroupCount(void* d, int groups) {
  static_cast<ConvDesc*>(d)->groups = groups;
  return kSuccess;
}
DOUBLE_EXPORT int miopenDestroyConvolutionDescriptor(void* d) {
  delete static_cast<ConvDesc*>(d);
  return kSuccess;
}
// First in rocm-5.7.0 include/miopen/miopen.h:5002. A library exports the symbol or not, which a double
// loaded with dlopen cannot vary by release: as 5.2 the double answers NotImplemented for every id, so
// nothing may depend on it there. From 5.7: InvalidValue for ids that are no convolution solver of the
// release (develop src/api/find2_0_commons.cpp:519-531).
DOUBLE_EXPORT int miopenGetSolverIdConvAlgorithm(uint64_t id, int* algo) {
  if (!at_least(Release::rocm57)) return kNotImplemented;
  const Solver* s = find(id);
  if (s == nullptr) return kInvalidValue;
  *algo = s->algo;
  return kSuccess;
}

// Per direction: (A, B, C) = Fwd (w, x, y), BwdData (dy, w, dx), BwdWeights (dy, x, dw).
#define DOUBLE_DIRECTION(Dir, DIR, X, W)                                                                   \
  DOUBLE_EXPORT int miopenConvolution##Dir##GetSolutionCount(void* h, void* a, void* b, void* c, void* o,  \
                                                             size_t* n) {                                  \
    (void)a, (void)b, (void)o;                                                                             \
    return solution_list(H(h), make_problem(DIR, T(X), T(W), C(c)), 0, n, nullptr);                        \
  }                                                                                                        \
  DOUBLE_EXPORT int miopenConvolution##Dir##GetSolution(void* h, void* a, void* b, void* c, void* o,       \
                                                        size_t max, size_t* n, void* sols) {               \
    (void)a, (void)b, (void)o;                                                                             \
    return solution_list(H(h), make_problem(DIR, T(X), T(W), C(c)), max, n, static_cast<Solution*>(sols)); \
  }                                                                                                        \
  DOUBLE_EXPORT int miopenConvolution##Dir##GetSolutionWorkspaceSize(void*, void* a, void* b, void* c,     \
                                                                     void* o, uint64_t id, size_t* ws) {   \
    (void)a, (void)b, (void)o;                                                                             \
    return workspace_size(make_problem(DIR, T(X), T(W), C(c)), id, ws);                                    \
  }                                                                                                        \
  DOUBLE_EXPORT int miopenConvolution##Dir##CompileSolution(void* h, void* a, void* b, void* c, void* o,   \
                                                            uint64_t id) {                                 \
    (void)a, (void)b, (void)o;                                                                             \
    return compile_solution(H(h), make_problem(DIR, T(X), T(W), C(c)), id);                                \
  }

// x/w descriptor positions among (a, b, o): fwd x=b w=a; bwd-data x=o w=b; bwd-weights x=b w=o.
DOUBLE_DIRECTION(Forward, Direction::fwd, b, a)
DOUBLE_DIRECTION(BackwardData, Direction::bwd_data, o, b)
DOUBLE_DIRECTION(BackwardWeights, Direction::bwd_weights, b, o)

DOUBLE_EXPORT int miopenConvolutionForwardImmediate(void* h, void* wd, const void* w, void* xd, const void* x,
                                                    void* cd, void* yd, void* y, void*, size_t ws,
                                                    uint64_t id) {
  (void)yd;
  Bound b{make_problem(Direction::fwd, T(xd), T(wd), C(cd)),
          {{TensorRole::src, const_cast<void*>(x)},
           {TensorRole::wei, const_cast<void*>(w)},
           {TensorRole::dst, y}}};
  return immediate(H(h), b, ws, id);
}
DOUBLE_EXPORT int miopenConvolutionBackwardDataImmediate(void* h, void* dyd, const void* dy, void* wd,
                                                         const void* w, void* cd, void* dxd, void* dx, void*,
                                                         size_t ws, uint64_t id) {
  (void)dyd;
  Bound b{make_problem(Direction::bwd_data, T(dxd), T(wd), C(cd)),
          {{TensorRole::src, dx},
           {TensorRole::wei, const_cast<void*>(w)},
           {TensorRole::dst, const_cast<void*>(dy)}}};
  return immediate(H(h), b, ws, id);
}
DOUBLE_EXPORT int miopenConvolutionBackwardWeightsImmediate(void* h, void* dyd, const void* dy, void* xd,
                                                            const void* x, void* cd, void* dwd, void* dw,
                                                            void*, size_t ws, uint64_t id) {
  (void)dyd;
  Bound b{make_problem(Direction::bwd_weights, T(xd), T(dwd), C(cd)),
          {{TensorRole::src, const_cast<void*>(x)},
           {TensorRole::wei, dw},
           {TensorRole::dst, const_cast<void*>(dy)}}};
  return immediate(H(h), b, ws, id);
}

// Find: (P, Q, R) = Fwd (x, w, y), BwdData (dy, w, dx), BwdWeights (dy, x, dw).
DOUBLE_EXPORT int miopenFindConvolutionForwardAlgorithm(void* h, void* xd, const void* x, void* wd,
                                                        const void* w, void* cd, void* yd, void* y,
                                                        int request, int* returned, void* perf, void*,
                                                        size_t ws, bool) {
  (void)yd;
  Bound b{make_problem(Direction::fwd, T(xd), T(wd), C(cd)),
          {{TensorRole::src, const_cast<void*>(x)},
           {TensorRole::wei, const_cast<void*>(w)},
           {TensorRole::dst, y}}};
  return find_algorithms(H(h), b, request, returned, static_cast<Perf*>(perf), ws);
}
DOUBLE_EXPORT int miopenFindConvolutionBackwardDataAlgorithm(void* h, void* dyd, const void* dy, void* wd,
                                                             const void* w, void* cd, void* dxd, void* dx,
                                                             int request, int* returned, void* perf, void*,
                                                             size_t ws, bool) {
  (void)dyd;
  Bound b{make_problem(Direction::bwd_data, T(dxd), T(wd), C(cd)),
          {{TensorRole::src, dx},
           {TensorRole::wei, const_cast<void*>(w)},
           {TensorRole::dst, const_cast<void*>(dy)}}};
  return find_algorithms(H(h), b, request, returned, static_cast<Perf*>(perf), ws);
}
DOUBLE_EXPORT int miopenFindConvolutionBackwardWeightsAlgorithm(void* h, void* dyd, const void* dy, void* xd,
                                                                const void* x, void* cd, void* dwd, void* dw,
                                                                int request, int* returned, void* perf, void*,
                                                                size_t ws, bool) {
  (void)dyd;
  Bound b{make_problem(Direction::bwd_weights, T(xd), T(dwd), C(cd)),
          {{TensorRole::src, const_cast<void*>(x)},
           {TensorRole::wei, dw},
           {TensorRole::dst, const_cast<void*>(dy)}}};
  return find_algorithms(H(h), b, request, returned, static_cast<Perf*>(perf), ws);
}
