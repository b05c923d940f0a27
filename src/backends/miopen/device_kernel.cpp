#include "backends/miopen/device_kernel.hpp"

#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "backends/miopen/descriptors.hpp"
#include "backends/miopen/solver_listing.hpp"
#include "core/workspace_limit.hpp"
#include "vendor/miopen_switches.hpp"

namespace convprobe::miopen {
namespace {

using miopen_abi::Status;

bool not_applicable(Status s) { return s == miopen_abi::kBadParm || s == miopen_abi::kNotImplemented; }

// Everything a kernel owns on the device; freed when the last copy of the kernel's closures goes.
struct DeviceState {
  const Runtime* rt = nullptr;
  TrialEnvironment env;
  std::unique_ptr<ProblemDescriptors> desc;
  Direction dir = Direction::fwd;
  uint64_t solver = 0;
  std::array<void*, 3> buf{};  // by TensorRole
  std::array<size_t, 3> bytes{};
  void* workspace = nullptr;
  size_t workspace_bytes = 0;
  miopen_abi::Event start = nullptr, stop = nullptr;

  ~DeviceState() {
    for (void* b : buf) {
      if (b != nullptr) rt->hip.free(b);
    }
    if (workspace != nullptr) rt->hip.free(workspace);
    if (start != nullptr) rt->hip.event_destroy(start);
    if (stop != nullptr) rt->hip.event_destroy(stop);
  }

  void* alloc(size_t n) {
    void* p = nullptr;
    const auto e = rt->hip.malloc(&p, std::max<size_t>(n, 1));
    if (e != 0) throw TrialError(Verdict::oom, fmt::format("hipMalloc({} bytes): {}", n, rt->hip_text(e)));
    return p;
  }

  void hip_check(miopen_abi::HipError e, const char* call) const {
    // A HIP error after a launch is usually sticky (the context is gone): the worker should be replaced.
    if (e != 0) throw TrialError(Verdict::crash, std::string(call) + ": " + rt->hip_text(e));
  }
};

size_t tensor_bytes(const Problem& p, TensorRole r) {
  return static_cast<size_t>(dims_of(p, r).elems()) * static_cast<size_t>(element_size(p.type));
}

uint64_t solver_of(const Candidate& c) {
  const auto it = c.attrs.find("solver_id");
  if (it == c.attrs.end())
    throw TrialError(Verdict::failed, "candidate " + c.id + " has no solver_id attribute");
  try {
    return std::stoull(it->second);
  } catch (const std::exception&) {
    throw TrialError(Verdict::failed,
                     "candidate " + c.id + ": solver_id '" + it->second + "' is not a number");
  }
}

// Applicability before anything is compiled. Returns the workspace the solver needs.
size_t check_applicable(DeviceState& s, const Candidate& c, bool forced_here) {
  const auto& fns = s.rt->mi.dir[direction_index(s.dir)];
  const auto o = s.desc->immediate_order();
  size_t ws = 0;
  const Status st = fns.get_workspace_size(s.env.handle, s.desc->tensor(o[0]), s.desc->tensor(o[1]),
                                           s.desc->conv(), s.desc->tensor(o[2]), s.solver, &ws);
  if (not_applicable(st)) throw TrialError(Verdict::unsupported, "not applicable: " + s.rt->status_text(st));
  if (st != miopen_abi::kSuccess) {
    throw TrialError(Verdict::failed, "GetSolutionWorkspaceSize: " + s.rt->status_text(st));
  }
  const bool listed_by_immediate =
      c.attrs.count("worker_env") == 0 || framework_mode_of(c) != FrameworkMode::off;
  if (listed_by_immediate || forced_here || ws > 0) return ws;
  // MIOpen answers 0 without checking applicability for solvers that never need a workspace, and
  // Compile/Immediate do not check it either: only a listing or Find can vouch for the solver here.
  for (const auto& sol : immediate_listing(*s.rt, s.env.handle, *s.desc, s.dir)) {
    if (sol.solution_id == s.solver) return ws;
  }
  throw TrialError(Verdict::skipped,
                   fmt::format("applicability of solver {} cannot be checked in this process: "
                               "run it in a worker started with {}={}",
                               s.solver, kFindOnlySolverEnv, s.solver));
}

// MIOpen's algorithm enum for a convprobe family (GEMM 0, Direct 1, FFT 2, Winograd 3, ImplicitGEMM 5), or
// -1.
int algorithm_of(const std::string& family) {
  for (int a : {0, 1, 2, 3, 5}) {
    if (family_of_algorithm(a) == family) return a;
  }
  return -1;
}

// Find's answer must be the forced solver's. Find reports no solver id, only the algorithm of each family's
// best, so what can be checked is: one family, the forced solver's. With the worker's NORMAL mode and
// FORCE_IMMED_MODE_FALLBACK off nothing but the search answers (5.2 convolutionocl.cpp:469-493), and the
// search sees only MIOPEN_DEBUG_FIND_ONLY_SOLVER; an answer from another family means another solver
// answered (a find mode or find-db the worker did not control), and the forced id must not run as if it
// applied: its kernels on a problem it does not fit write garbage or fault.
void check_found_solver(const DeviceState& s, const Candidate& c, const miopen_abi::ConvAlgoPerf* perf,
                        int returned) {
  if (returned > 1) {
    throw TrialError(
        Verdict::unsupported,
        fmt::format("Find with only solver {} enabled returned {} solutions: MIOpen did not limit "
                    "Find to {}, so none of them is known to be solver {}",
                    s.solver, returned, kFindOnlySolverEnv, s.solver));
  }
  const int want = algorithm_of(c.family);
  if (want >= 0 && perf[0].algo != want) {
    const std::string got = family_of_algorithm(perf[0].algo);
    throw TrialError(
        Verdict::unsupported,
        fmt::format("Find with only solver {} answered with a {} solution, not {}: another solver "
                    "was chosen, so solver {} is not run",
                    s.solver, got.empty() ? "algorithm " + std::to_string(perf[0].algo) : got, c.family,
                    s.solver));
  }
}

// The forced path: MIOpen's Find with only this solver enabled (it checks applicability and runs it).
void find_forced(DeviceState& s, const Candidate& c) {
  const auto& fns = s.rt->mi.dir[direction_index(s.dir)];
  if (fns.find == nullptr) return;  // old MIOpen: fall back to the immediate path (noted in info())
  const auto o = s.desc->find_order();
  auto b = [&](TensorRole r) { return s.buf[static_cast<int>(r)]; };
  miopen_abi::ConvAlgoPerf perf[4]{};
  int returned = 0;
  const Status st =
      fns.find(s.env.handle, s.desc->tensor(o[0]), b(o[0]), s.desc->tensor(o[1]), b(o[1]), s.desc->conv(),
               s.desc->tensor(o[2]), b(o[2]), 4, &returned, perf, s.workspace, s.workspace_bytes, false);
  if (st == miopen_abi::kSuccess && returned > 0) {
    check_found_solver(s, c, perf, returned);
    return;
  }
  if (st == miopen_abi::kSuccess || st == miopen_abi::kUnknownError) {
    // MIOpen reports "No suitable algorithm was found" as an unknown error; with one solver enabled that
    // means Find would never use it for this problem.
    throw TrialError(Verdict::unsupported,
                     fmt::format("Find with only solver {} found no solution ({})", s.solver,
                                 st == miopen_abi::kSuccess ? "0 results" : s.rt->status_text(st)));
  }
  throw TrialError(not_applicable(st) ? Verdict::unsupported : Verdict::failed,
                   "Find with only solver " + std::to_string(s.solver) + ": " + s.rt->status_text(st));
}

void compile(DeviceState& s) {
  const auto& fns = s.rt->mi.dir[direction_index(s.dir)];
  const auto o = s.desc->immediate_order();
  const Status st = fns.compile(s.env.handle, s.desc->tensor(o[0]), s.desc->tensor(o[1]), s.desc->conv(),
                                s.desc->tensor(o[2]), s.solver);
  if (st != miopen_abi::kSuccess)
    throw TrialError(Verdict::failed, "CompileSolution: " + s.rt->status_text(st));
}

// Iteration 0 is the verified run, whose time the runner ignores; every other reading must be positive.
// What the events bracket: the Immediate call on the handle's stream. Kernels were compiled before
// (CompileSolution), so no compilation is timed; but MIOpen's host-side work for the call (argument checks,
// the invoker lookup in the handle's cache, kernel argument setup and launches, rocBLAS' for GEMM) happens
// after the start event is queued, and on an idle GPU the start event completes at once: the time is the
// kernels' plus whatever of that host work the GPU waited for. The API offers no point between MIOpen's host
// work and its first kernel, so this is an upper bound on kernel time, close to it when kernels dominate
// (docs/amd.md, "What a MIOpen time includes").
double run_once(DeviceState& s, int iteration) {
  const auto& fns = s.rt->mi.dir[direction_index(s.dir)];
  const auto o = s.desc->immediate_order();
  auto b = [&](TensorRole r) { return s.buf[static_cast<int>(r)]; };
  s.hip_check(s.rt->hip.event_record(s.start, s.env.stream), "hipEventRecord");
  const Status st =
      fns.immediate(s.env.handle, s.desc->tensor(o[0]), b(o[0]), s.desc->tensor(o[1]), b(o[1]),
                    s.desc->conv(), s.desc->tensor(o[2]), b(o[2]), s.workspace, s.workspace_bytes, s.solver);
  if (st != miopen_abi::kSuccess) throw TrialError(Verdict::failed, s.rt->status_text(st));
  s.hip_check(s.rt->hip.event_record(s.stop, s.env.stream), "hipEventRecord");
  s.hip_check(s.rt->hip.event_synchronize(s.stop), "hipEventSynchronize");
  float ms = 0;
  s.hip_check(s.rt->hip.event_elapsed(&ms, s.start, s.stop), "hipEventElapsedTime");
  if (iteration == 0) return std::isfinite(ms) && ms > 0 ? ms : 1.0;
  if (!std::isfinite(ms) || ms <= 0) {
    // Never hand a non-positive number to the runner: a negative one would make it time the run itself.
    throw TrialError(Verdict::failed, fmt::format("impossible timing: HIP events report {} ms", ms));
  }
  return ms;
}

/// The current device's total memory, or -1 when this HIP has no hipMemGetInfo or it fails.
int64_t device_memory_bytes(const Runtime& rt) {
  size_t free_bytes = 0, total = 0;
  if (rt.hip.mem_get_info == nullptr || rt.hip.mem_get_info(&free_bytes, &total) != 0) return -1;
  return static_cast<int64_t>(total);
}

void alloc_buffers(DeviceState& s, const Problem& p) {
  for (TensorRole r : {TensorRole::src, TensorRole::wei, TensorRole::dst}) {
    if (s.buf[static_cast<int>(r)] != nullptr) continue;
    s.bytes[static_cast<int>(r)] = tensor_bytes(p, r);
    s.buf[static_cast<int>(r)] = s.alloc(s.bytes[static_cast<int>(r)]);
  }
}

// MIOpen writes the record only in a worker started for it, with Find limited to this very solver.
void require_record_worker(const DeviceState& s) {
  if (s.env.framework != FrameworkMode::record || s.env.forced_solver != std::to_string(s.solver)) {
    throw TrialError(Verdict::failed,
                     fmt::format("record candidate for solver {}: run it in a worker started "
                                 "with {}=record and {}={}",
                                 s.solver, kFrameworkEnv, kFindOnlySolverEnv, s.solver));
  }
}

// The solver MIOpen picks itself; only in a worker started for that mode (MIOpen read the find mode and
// find-db settings when it loaded).
uint64_t framework_solver(DeviceState& s, FrameworkMode mode) {
  if (s.env.framework != mode) {
    throw TrialError(Verdict::failed, fmt::format("framework candidate for {} mode: run it in a worker "
                                                  "started with {}={}",
                                                  to_string(mode), kFrameworkEnv, to_string(mode)));
  }
  FrameworkPick pick = pick_solver(*s.rt, s.env.handle, *s.desc, s.dir, s.buf, mode);
  if (s.env.picked != nullptr) *s.env.picked = std::move(pick.offered);
  return pick.solver;
}

}  // namespace

HostKernel make_device_kernel(const TrialEnvironment& env, const Problem& p, const Candidate& c,
                              const TrialOptions& options) {
  auto s = std::make_shared<DeviceState>();
  s->rt = env.rt;
  s->env = env;
  s->dir = p.dir;
  s->desc = std::make_unique<ProblemDescriptors>(*env.rt, p);
  const FrameworkMode framework = framework_mode_of(c);
  if (framework == FrameworkMode::record) {
    s->solver = solver_of(c);
    require_record_worker(*s);
  } else if (framework != FrameworkMode::off) {
    alloc_buffers(*s, p);  // Find runs on them
    s->solver = framework_solver(*s, framework);
  } else {
    s->solver = solver_of(c);
  }
  const bool forced_here = !env.forced_solver.empty() && env.forced_solver == std::to_string(s->solver);
  s->workspace_bytes = check_applicable(*s, c, forced_here);
  check_workspace(static_cast<int64_t>(s->workspace_bytes),
                  WorkspaceLimits{options.max_workspace_bytes, device_memory_bytes(*env.rt)});
  alloc_buffers(*s, p);
  if (s->workspace_bytes > 0) s->workspace = s->alloc(s->workspace_bytes);
  if (forced_here) find_forced(*s, c);
  compile(*s);
  s->hip_check(env.rt->hip.event_create(&s->start), "hipEventCreate");
  s->hip_check(env.rt->hip.event_create(&s->stop), "hipEventCreate");

  HostKernel k;
  k.workspace_bytes = static_cast<int64_t>(s->workspace_bytes);
  k.load = [s](const ConvTensors& t) {
    // All three: the inputs, and the output as poisoned by the runner, so unwritten elements show.
    for (TensorRole r : {TensorRole::src, TensorRole::wei, TensorRole::dst}) {
      const auto& host = t.get(r);
      s->hip_check(s->rt->hip.memcpy(s->buf[static_cast<int>(r)], host.data(), host.bytes(),
                                     miopen_abi::kMemcpyHostToDevice),
                   "hipMemcpy (upload)");
    }
  };
  k.run = [s](int iteration) { return run_once(*s, iteration); };
  const TensorRole out = output_role(p.dir);
  k.store = [s, out](ConvTensors& t) {
    s->hip_check(s->rt->hip.synchronize(), "hipDeviceSynchronize");
    auto& host = t.get(out);
    s->hip_check(s->rt->hip.memcpy(host.data(), s->buf[static_cast<int>(out)], host.bytes(),
                                   miopen_abi::kMemcpyDeviceToHost),
                 "hipMemcpy (download)");
  };
  return k;
}

}  // namespace convprobe::miopen
