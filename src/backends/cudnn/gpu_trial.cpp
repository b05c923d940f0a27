#include "gpu_trial.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <new>

#include "conv_graph.hpp"
#include "core/host_trial.hpp"
#include "core/workspace_limit.hpp"
#include "cuda_status.hpp"
#include "device_faults.hpp"
#include "gpu_timing.hpp"
#include "legacy_conv.hpp"
#include "note_list.hpp"

namespace convprobe::cudnn {
namespace {

// Rough rates for heartbeat estimates only (the watchdog scales its deadline from them): a slow engine at
// 1 TFLOP/s, the fp64 reference at 1e10 multiply-adds/s, plus a fixed allowance for runtime compilation.
constexpr double kSlowFlopsPerMs = 1e9;
constexpr double kReferenceMacsPerMs = 1e7;
constexpr double kCompileAllowanceMs = 10000;

/// The current device's total memory in bytes, or -1 when CUDA cannot say.
int64_t device_memory_bytes() {
  size_t free_bytes = 0, total = 0;
  return cudaMemGetInfo(&free_bytes, &total) == cudaSuccess ? static_cast<int64_t>(total) : -1;
}

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

std::unique_ptr<ConvRunner> make_runner(cudnnHandle_t h, const Problem& p, const Candidate& c) {
  const auto api = c.attrs.find("api");
  if (api != c.attrs.end() && api->second == "legacy") return make_legacy_runner(h, p, c);
  if (api != c.attrs.end() && api->second == "engine") {
    return make_engine_runner(h, p, std::stoll(c.attrs.at("engine")), knobs_from_attr(c.attrs.at("knobs")));
  }
  throw TrialError(Verdict::failed,
                   "candidate " + c.id + " has no api attr (legacy|engine); cannot rebuild it");
}

// How the samples were taken, for the trial's detail: " (x50 launches each, CUDA graph)".
std::string batch_text(const TimingOutcome& t) {
  if (t.batch <= 1) return "";
  std::string text = " (x" + std::to_string(t.batch) + " launches each, ";
  text += t.graph ? "CUDA graph)" : "back to back; no CUDA graph: " + t.graph_note + ")";
  return text;
}

TrialResult crash(TrialResult r, const std::string& detail, GpuSession& session) {
  session.context_lost = true;
  r.verdict = Verdict::crash;
  r.detail = detail;
  r.restart_worker = true;
  return r;
}

}  // namespace

Candidate judged_as(const Candidate& c) {
  Candidate j = c;
  if (c.has_note("tf32") && !c.has_note("down_convert")) append_note(&j.notes, "down_convert");
  return j;
}

TrialResult run_cudnn_trial(const Problem& p, const Candidate& c, const TrialOptions& options,
                            TrialContext& context, GpuSession& session) {
  const auto start = std::chrono::steady_clock::now();
  TrialResult r;
  r.device = "cuda:" + std::to_string(options.device);
  bool candidate_involved = false;  ///< the candidate's own code (plan building) has been called
  auto enter = [&](Phase ph, double expected_ms) {
    r.phase = ph;
    context.enter_phase(ph, expected_ms);
  };
  try {
    const double ref_macs =
        static_cast<double>(options.sample_points) * static_cast<double>(p.reduction_length());
    enter(Phase::setup, 1000 + ref_macs / kReferenceMacsPerMs +
                            (c.has_note("runtime_compilation") ? kCompileAllowanceMs : 0));
    GpuProblem& gp = session.cache.get(p, options, options.verify, session.stream);
    candidate_involved = true;
    std::unique_ptr<ConvRunner> runner = make_runner(session.handle, p, c);
    const size_t ws_bytes = runner->workspace_bytes();
    r.workspace_bytes = static_cast<int64_t>(ws_bytes);
    // Above the cap or above the whole device: SKIPPED. A failed allocation below the device's size stays
    // OOM (DeviceBuffer): that memory existed and something held it.
    check_workspace(static_cast<int64_t>(ws_bytes),
                    WorkspaceLimits{options.max_workspace_bytes, device_memory_bytes()});
    DeviceBuffer workspace(ws_bytes, "workspace");
    // One buffer set, warm as frameworks time their candidates (cudnnFind, PyTorch's benchmark mode);
    // --flush-l2 measures cold caches instead.
    runner->bind(BufferSet{gp.src.get(), gp.wei.get(), gp.dst.get()}, workspace.get());
    check_cuda(gpu::fill_poison(gp.output(), gp.storage, gp.output_elems(), session.stream),
               "poisoning the output");
    sync_and_check("setup");

    enter(Phase::run, p.flops() / kSlowFlopsPerMs);
    EventPair run_events;
    run_events.start(session.stream);
    check_cudnn(runner->launch(), "run");
    run_events.stop(session.stream);
    sync_and_check("run");
    const double run_ms = run_events.elapsed_ms();

    std::string verify_detail;
    if (options.verify) {
      enter(Phase::verify, 1000 + static_cast<double>(gp.output_elems()) / 1e6);
      const GpuVerifyResult v = verify_on_gpu(gp, judged_as(c), gp.output(), options.seed, session.stream);
      r.verify = v.info;
      r.rel_err = v.rel_err;
      verify_detail = v.detail;
      if (v.verdict != Verdict::pass) {
        r.verdict = v.verdict;
        r.detail = v.detail;
        r.wall_ms = ms_since(start);
        return r;
      }
    }
    if (options.time) {
      enter(Phase::time, run_ms * (options.warmup + options.repeats + 2) * 2 + 1000 + options.min_time_ms);
      std::unique_ptr<DeviceBuffer> flush;
      TimingPlan plan;
      plan.warmup = options.warmup;
      plan.repeats = options.repeats;
      plan.min_time_ms = options.min_time_ms;
      plan.max_time_ms = options.max_time_ms;
      plan.best_so_far_ms = options.best_so_far_ms;
      plan.first_run_ms = run_ms;
      if (options.flush_l2) {
        flush = std::make_unique<DeviceBuffer>(2 * session.l2_bytes, "L2 flush buffer");
        plan.flush_buffer = flush->get();
        plan.flush_bytes = flush->bytes();
      }
      const TimingOutcome t = time_runner(*runner, plan, session.stream);
      sync_and_check("time");
      if (t.status != CUDNN_STATUS_SUCCESS) throw CudnnError(t.status, "timed run");
      if (!(t.timing.median_ms > 0)) throw TrialError(Verdict::failed, "impossible timing: median <= 0");
      r.time = t.timing;
      r.time->launches += 1;  // the verified run
      verify_detail += std::string(verify_detail.empty() ? "" : "; ") + fmt("%.4f ms", t.timing.median_ms) +
                       " median of " + std::to_string(t.timing.repeats) + batch_text(t) +
                       (options.flush_l2 ? ", L2 flushed" : "") +
                       (t.slow ? ", fewer repeats: >" + fmt("%.0fx", kSlowFactor) + " the best so far" +
                                     (t.from_verified_run ? " (the verified run's time)" : "")
                               : "") +
                       ", " + fmt("%.2f TFLOP/s", p.flops() / (t.timing.median_ms * 1e9));
    }
    r.verdict = Verdict::pass;
    r.detail = verify_detail;
  } catch (const StickyCudaError& e) {
    // The verdict stays CRASH (the context is gone and this trial has no other outcome), but a reader and a
    // policy author must see when it happened before any of the candidate's code ran.
    r = crash(
        r,
        std::string(e.what()) +
            (candidate_involved ? "" : " (before this candidate ran: convprobe's own setup of the problem)"),
        session);
  } catch (const CudnnError& e) {
    // A failing cuDNN call may be the first to see a lost context: check before blaming cuDNN.
    const cudaError_t sticky = cudaDeviceSynchronize();
    if (is_sticky(sticky)) {
      r = crash(r, "sticky CUDA error " + cuda_error_text(sticky) + " after " + e.what(), session);
    } else {
      r.verdict = verdict_for(e.status());
      r.detail = e.what();
    }
  } catch (const TrialError& e) {
    r.verdict = e.verdict();
    r.detail = e.what();
  } catch (const std::bad_alloc&) {
    r.verdict = Verdict::oom;
    r.detail = "host allocation failed (std::bad_alloc)";
  } catch (const std::exception& e) {
    r.verdict = Verdict::failed;
    r.detail = e.what();
  }
  r.wall_ms = ms_since(start);
  return r;
}

std::vector<Candidate> gpu_fault_candidates() {
  std::vector<Candidate> out;
  for (const DeviceFault& fault : kDeviceFaults) {
    Candidate c;
    c.id = fault.id;
    c.family = "fault";
    c.attrs = {{"api", "fault"}};
    out.push_back(c);
  }
  return out;
}

TrialResult run_gpu_fault(const Candidate& c, TrialContext& context, GpuSession& session) {
  const auto start = std::chrono::steady_clock::now();
  TrialResult r;
  r.device = "cuda:" + std::to_string(session.device);
  try {
    r.phase = Phase::run;
    context.enter_phase(Phase::run, 1);
    if (c.id == "fault.gpu_hang") {
      check_cuda(gpu::launch_never_ending(session.stream), "launching the never-ending kernel");
      sync_and_check("run");  // never returns: the supervisor's watchdog ends this worker
      throw TrialError(Verdict::failed, "the never-ending kernel ended");
    }
    if (c.id == "fault.gpu_illegal_address") {
      check_cuda(gpu::launch_illegal_address(session.stream), "launching the illegal-address kernel");
      sync_and_check("run");
      throw TrialError(Verdict::failed, "the illegal-address kernel raised no error");
    }
    if (c.id == "fault.gpu_oom") {
      size_t free_bytes = 0, total = 0;
      check_cuda(cudaMemGetInfo(&free_bytes, &total), "cudaMemGetInfo");
      DeviceBuffer too_big(free_bytes + (size_t{1} << 30), "fault.gpu_oom (free memory + 1 GiB)");
      throw TrialError(Verdict::failed, "allocating more than the free memory succeeded");
    }
    throw TrialError(Verdict::failed, "unknown fault candidate " + c.id);
  } catch (const StickyCudaError& e) {
    r = crash(r, e.what(), session);
  } catch (const TrialError& e) {
    r.verdict = e.verdict();
    r.detail = e.what();
  }
  r.wall_ms = ms_since(start);
  return r;
}

}  // namespace convprobe::cudnn
