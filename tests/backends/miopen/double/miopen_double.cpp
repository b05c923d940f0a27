// The MIOpen test double: the C entry points the plugin calls, computing on the CPU with convprobe's fp64
// reference, listing the solvers of double_registry.cpp and reproducing their reported misbehaviours.
// Semantics follow MIOpen where the plugin depends on them (../shared/FACTS.md §3): the immediate listing
// holds only "dynamic" solvers; GetSolutionWorkspaceSize checks applicability only for solvers that may need
// a workspace; Compile and Immediate never check it; Find honours MIOPEN_DEBUG_FIND_ONLY_SOLVER and keeps
// the best solver per family; variables are read once.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <map>
#include <thread>
#include <vector>

#include "core/reference_conv.hpp"
#include "core/tensor.hpp"
#include "double_registry.hpp"

#define DOUBLE_EXPORT extern "C" __attribute__((visibility("default")))

extern "C" void convprobe_test_hip_double_shift_clock(double ms);

namespace convprobe_double {
namespace {

using convprobe::Direction;
using convprobe::Problem;
using convprobe::TensorRole;

constexpr int kSuccess = 0, kBadParm = 3, kNotImplemented = 6, kUnknownError = 7;

struct TensorDesc {
  int dtype = 1;
  std::vector<int> dims, strides;
};
struct ConvDesc {
  int spatial = 2;
  int pad[3] = {0, 0, 0}, stride[3] = {1, 1, 1}, dil[3] = {1, 1, 1};
  int groups = 1;
};
struct Handle {
  int stream_token = 0;
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

struct Bound {
  Problem p;
  std::map<TensorRole, void*> buf;
};

void compute(const Bound& b, double scale) {
  convprobe::ConvTensors t;
  for (TensorRole r : {TensorRole::src, TensorRole::wei, TensorRole::dst}) {
    t.get(r) = convprobe::HostTensor(b.p.type, convprobe::dims_of(b.p, r));
    if (r != convprobe::output_role(b.p.dir)) std::memcpy(t.get(r).data(), b.buf.at(r), t.get(r).bytes());
  }
  std::vector<double> out;
  convprobe::reference_full(b.p, t, &out, 1);
  auto& o = t.get(convprobe::output_role(b.p.dir));
  for (size_t i = 0; i < out.size(); ++i) o.set(static_cast<int64_t>(i), out[i] * scale);
  std::memcpy(b.buf.at(convprobe::output_role(b.p.dir)), o.data(), o.bytes());
}

[[noreturn]] void never_return() {
  // What the gfx1010 user saw: the call never comes back. Sleep rather than spin: a watchdog ends it.
  for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

// The double's choice: Fury's timer runs backwards for 8 <= C <= 32 (C > 32 fails outright); an RGB input
// layer (C = 3) works, so the gfx1010 presets see only the GEMM hang.
bool fury_timer_broken(const Problem& p) { return p.ic >= 8 && p.ic <= 32; }

// Run one solver (Immediate, or Find's benchmark run). Returns a status; may never return or crash.
int run_solver(const Solver& s, const Bound& b, bool in_find) {
  const bool big = b.p.in[1] > 42 || b.p.in[2] > 42;
  switch (s.misbehaviour) {
    case Misbehaviour::segv_above_batch_2:
      if (b.p.mb > 2) std::raise(SIGSEGV);
      if (big) never_return();
      break;
    case Misbehaviour::hang_above_42:
      if (big) never_return();
      break;
    case Misbehaviour::wrong_numbers:
      compute(b, 1.05);
      return kSuccess;
    case Misbehaviour::fury_timer:
      if (b.p.ic > 32) return kUnknownError;
      if (!fury_timer_broken(b.p)) break;
      compute(b, 1.0);
      if (!in_find) convprobe_test_hip_double_shift_clock(-1000.0);  // the timer reads backwards
      return kSuccess;
    case Misbehaviour::none:
      break;
  }
  compute(b, 1.0);
  return kSuccess;
}

bool serves(const Solver& s, Direction d) {
  const unsigned bit = d == Direction::fwd ? 1 : d == Direction::bwd_data ? 2 : 4;
  return (s.dirs & bit) != 0;
}

// --- the shared implementations behind the per-direction entry points ---

int solution_list(const Problem& p, size_t max, size_t* count, void* out) {
  if (!env().bool_error.empty()) return kUnknownError;
  struct Sol {
    float time;
    size_t ws;
    uint64_t id;
    int algo;
  };
  std::vector<Sol> list;
  for (const auto& s : registry()) {
    if (!s.dynamic || !env().family_enabled[s.algo] || !applicable(s, p)) continue;
    list.push_back({1.0f + static_cast<float>(list.size()), workspace_bytes(s, p), s.id, s.algo});
  }
  if (list.empty()) return kNotImplemented;  // "not supported or Immediate mode Fallback unsuccessful"
  if (out == nullptr) {
    *count = list.size();
    return kSuccess;
  }
  *count = std::min(max, list.size());
  std::memcpy(out, list.data(), *count * sizeof(Sol));
  return kSuccess;
}

int workspace_size(const Problem& p, uint64_t id, size_t* ws) {
  if (!env().bool_error.empty()) return kUnknownError;
  const Solver* s = find(id);
  if (s == nullptr || !serves(*s, p.dir)) return kBadParm;
  if (!s->may_need_workspace) {
    *ws = 0;  // like MIOpen: no applicability check for solvers that never need a workspace
    return kSuccess;
  }
  if (!applicable(*s, p)) return kBadParm;
  *ws = workspace_bytes(*s, p);
  return kSuccess;
}

int compile_solution(const Problem& p, uint64_t id) {
  if (!env().bool_error.empty()) return kUnknownError;
  const Solver* s = find(id);
  return s != nullptr && serves(*s, p.dir) ? kSuccess : kBadParm;
}

int immediate(const Bound& b, size_t ws_size, uint64_t id) {
  const Solver* s = find(id);
  if (s == nullptr || !serves(*s, b.p.dir)) return kBadParm;
  if (ws_size < workspace_bytes(*s, b.p)) return kBadParm;
  return run_solver(*s, b, false);
}

struct Perf {
  int algo;
  float time;
  size_t memory;
};

int find_algorithms(const Bound& b, int request, int* returned, Perf* perf, size_t ws_size) {
  if (!env().find_only_error.empty()) return kBadParm;
  if (!env().bool_error.empty()) return kUnknownError;
  std::map<int, Perf> best;  // Find keeps the best solver per family
  for (const auto& s : registry()) {
    if (!env().family_enabled[s.algo] || !applicable(s, b.p)) continue;
    const auto& only = env().find_only;
    if (!only.empty() && std::find(only.begin(), only.end(), s.id) == only.end()) continue;
    if (ws_size < workspace_bytes(s, b.p)) continue;
    if (run_solver(s, b, true) != kSuccess) continue;
    const float t = s.misbehaviour == Misbehaviour::fury_timer && fury_timer_broken(b.p)
                        ? -1.0f
                        : 1.0f + static_cast<float>(best.size());
    if (!best.count(s.algo) || t < best[s.algo].time) best[s.algo] = {s.algo, t, workspace_bytes(s, b.p)};
  }
  if (best.empty())
    return kUnknownError;  // "No suitable algorithm was found to execute the required convolution"
  *returned = 0;
  for (const auto& [algo, pr] : best) {
    if (*returned >= request) break;
    perf[(*returned)++] = pr;
  }
  return kSuccess;
}

const TensorDesc& T(void* d) { return *static_cast<TensorDesc*>(d); }
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
  *h = new Handle;
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
  *major = 2;  // MIOpen 2.16.0 shipped with ROCm 5.2, the report's version
  *minor = 16;
  *patch = 0;
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
DOUBLE_EXPORT int miopenGetSolverIdConvAlgorithm(uint64_t id, int* algo) {
  const Solver* s = find(id);
  if (s == nullptr) return 2;  // miopenStatusInvalidValue
  *algo = s->algo;
  return kSuccess;
}

// Per direction: (A, B, C) = Fwd (w, x, y), BwdData (dy, w, dx), BwdWeights (dy, x, dw).
#define DOUBLE_DIRECTION(Dir, DIR, X, W)                                                                 \
  DOUBLE_EXPORT int miopenConvolution##Dir##GetSolutionCount(void*, void* a, void* b, void* c, void* o,  \
                                                             size_t* n) {                                \
    (void)a, (void)b, (void)o;                                                                           \
    return solution_list(make_problem(DIR, T(X), T(W), C(c)), 0, n, nullptr);                            \
  }                                                                                                      \
  DOUBLE_EXPORT int miopenConvolution##Dir##GetSolution(void*, void* a, void* b, void* c, void* o,       \
                                                        size_t max, size_t* n, void* sols) {             \
    (void)a, (void)b, (void)o;                                                                           \
    return solution_list(make_problem(DIR, T(X), T(W), C(c)), max, n, sols);                             \
  }                                                                                                      \
  DOUBLE_EXPORT int miopenConvolution##Dir##GetSolutionWorkspaceSize(void*, void* a, void* b, void* c,   \
                                                                     void* o, uint64_t id, size_t* ws) { \
    (void)a, (void)b, (void)o;                                                                           \
    return workspace_size(make_problem(DIR, T(X), T(W), C(c)), id, ws);                                  \
  }                                                                                                      \
  DOUBLE_EXPORT int miopenConvolution##Dir##CompileSolution(void*, void* a, void* b, void* c, void* o,   \
                                                            uint64_t id) {                               \
    (void)a, (void)b, (void)o;                                                                           \
    return compile_solution(make_problem(DIR, T(X), T(W), C(c)), id);                                    \
  }

// x/w descriptor positions among (a, b, o): fwd x=b w=a; bwd-data x=o w=b; bwd-weights x=b w=o.
DOUBLE_DIRECTION(Forward, Direction::fwd, b, a)
DOUBLE_DIRECTION(BackwardData, Direction::bwd_data, o, b)
DOUBLE_DIRECTION(BackwardWeights, Direction::bwd_weights, b, o)

DOUBLE_EXPORT int miopenConvolutionForwardImmediate(void*, void* wd, const void* w, void* xd, const void* x,
                                                    void* cd, void* yd, void* y, void*, size_t ws,
                                                    uint64_t id) {
  (void)yd;
  Bound b{make_problem(Direction::fwd, T(xd), T(wd), C(cd)),
          {{TensorRole::src, const_cast<void*>(x)},
           {TensorRole::wei, const_cast<void*>(w)},
           {TensorRole::dst, y}}};
  return immediate(b, ws, id);
}
DOUBLE_EXPORT int miopenConvolutionBackwardDataImmediate(void*, void* dyd, const void* dy, void* wd,
                                                         const void* w, void* cd, void* dxd, void* dx, void*,
                                                         size_t ws, uint64_t id) {
  (void)dyd;
  Bound b{make_problem(Direction::bwd_data, T(dxd), T(wd), C(cd)),
          {{TensorRole::src, dx},
           {TensorRole::wei, const_cast<void*>(w)},
           {TensorRole::dst, const_cast<void*>(dy)}}};
  return immediate(b, ws, id);
}
DOUBLE_EXPORT int miopenConvolutionBackwardWeightsImmediate(void*, void* dyd, const void* dy, void* xd,
                                                            const void* x, void* cd, void* dwd, void* dw,
                                                            void*, size_t ws, uint64_t id) {
  (void)dyd;
  Bound b{make_problem(Direction::bwd_weights, T(xd), T(dwd), C(cd)),
          {{TensorRole::src, const_cast<void*>(x)},
           {TensorRole::wei, dw},
           {TensorRole::dst, const_cast<void*>(dy)}}};
  return immediate(b, ws, id);
}

// Find: (P, Q, R) = Fwd (x, w, y), BwdData (dy, w, dx), BwdWeights (dy, x, dw).
DOUBLE_EXPORT int miopenFindConvolutionForwardAlgorithm(void*, void* xd, const void* x, void* wd,
                                                        const void* w, void* cd, void* yd, void* y,
                                                        int request, int* returned, void* perf, void*,
                                                        size_t ws, bool) {
  (void)yd;
  Bound b{make_problem(Direction::fwd, T(xd), T(wd), C(cd)),
          {{TensorRole::src, const_cast<void*>(x)},
           {TensorRole::wei, const_cast<void*>(w)},
           {TensorRole::dst, y}}};
  return find_algorithms(b, request, returned, static_cast<Perf*>(perf), ws);
}
DOUBLE_EXPORT int miopenFindConvolutionBackwardDataAlgorithm(void*, void* dyd, const void* dy, void* wd,
                                                             const void* w, void* cd, void* dxd, void* dx,
                                                             int request, int* returned, void* perf, void*,
                                                             size_t ws, bool) {
  (void)dyd;
  Bound b{make_problem(Direction::bwd_data, T(dxd), T(wd), C(cd)),
          {{TensorRole::src, dx},
           {TensorRole::wei, const_cast<void*>(w)},
           {TensorRole::dst, const_cast<void*>(dy)}}};
  return find_algorithms(b, request, returned, static_cast<Perf*>(perf), ws);
}
DOUBLE_EXPORT int miopenFindConvolutionBackwardWeightsAlgorithm(void*, void* dyd, const void* dy, void* xd,
                                                                const void* x, void* cd, void* dwd, void* dw,
                                                                int request, int* returned, void* perf, void*,
                                                                size_t ws, bool) {
  (void)dyd;
  Bound b{make_problem(Direction::bwd_weights, T(xd), T(dwd), C(cd)),
          {{TensorRole::src, const_cast<void*>(x)},
           {TensorRole::wei, dw},
           {TensorRole::dst, const_cast<void*>(dy)}}};
  return find_algorithms(b, request, returned, static_cast<Perf*>(perf), ws);
}
