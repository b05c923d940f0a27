#include "cudnn_trial.hpp"

#include <cstdio>
#include <memory>

#include "conv_graph.hpp"
#include "core/trial_phases.hpp"
#include "core/workspace_limit.hpp"
#include "cuda_status.hpp"
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

// What a PASS's detail says about its timing: "0.0123 ms median of 10 (x50 launches each, CUDA graph),
// 1.23 TFLOP/s".
std::string timing_text(const TimingOutcome& t, const Problem& p, const TrialOptions& options) {
  return fmt("%.4f ms", t.timing.median_ms) + " median of " + std::to_string(t.timing.repeats) +
         batch_text(t) + (options.flush_l2 ? ", L2 flushed" : "") +
         (t.slow ? ", fewer repeats: >" + fmt("%.0fx", kSlowFactor) + " the best so far" +
                       (t.from_verified_run ? " (the verified run's time)" : "")
                 : "") +
         ", " + fmt("%.2f TFLOP/s", p.flops() / (t.timing.median_ms * 1e9));
}

/// The cuDNN runner's steps for one trial: the candidate's plan (or legacy algorithm) bound to the problem's
/// device buffers, run once, verified on the GPU and timed with CUDA events.
class CudnnTrialSteps final : public TrialSteps {
 public:
  CudnnTrialSteps(const Problem& p, const Candidate& c, const TrialOptions& options, GpuSession& session)
      : p_(p), c_(c), options_(options), session_(session) {}

  [[nodiscard]] double expected_ms(Phase phase) const override {
    switch (phase) {
      case Phase::setup:
        return 1000 +
               static_cast<double>(options_.sample_points) * static_cast<double>(p_.reduction_length()) /
                   kReferenceMacsPerMs +
               (c_.has_note("runtime_compilation") ? kCompileAllowanceMs : 0);
      case Phase::run:
        return p_.flops() / kSlowFlopsPerMs;
      case Phase::verify:
        return 1000 + static_cast<double>(gp_->output_elems()) / 1e6;
      case Phase::time:
        return run_ms_ * (options_.warmup + options_.repeats + 2) * 2 + 1000 + options_.min_time_ms;
      case Phase::done:
        break;
    }
    return 0;
  }

  void setup(TrialResult* r) override {
    gp_ = &session_.cache.get(p_, options_, options_.verify, session_.stream);
    candidate_involved_ = true;
    runner_ = make_runner(session_.handle, p_, c_);
    const size_t ws_bytes = runner_->workspace_bytes();
    r->workspace_bytes = static_cast<int64_t>(ws_bytes);
    // Above the cap or above the whole device: SKIPPED. A failed allocation below the device's size stays
    // OOM (DeviceBuffer): that memory existed and something held it.
    check_workspace(static_cast<int64_t>(ws_bytes),
                    WorkspaceLimits{options_.max_workspace_bytes, device_memory_bytes()});
    workspace_ = std::make_unique<DeviceBuffer>(ws_bytes, "workspace");
    // One buffer set, warm as frameworks time their candidates (cudnnFind, PyTorch's benchmark mode);
    // --flush-l2 measures cold caches instead.
    runner_->bind(BufferSet{gp_->src.get(), gp_->wei.get(), gp_->dst.get()}, workspace_->get());
  }

  void poison() override {
    check_cuda(gpu::fill_poison(gp_->output(), gp_->storage, gp_->output_elems(), session_.stream),
               "poisoning the output");
    sync_and_check("setup");
  }

  void run() override {
    EventPair run_events;
    run_events.start(session_.stream);
    check_cudnn(runner_->launch(), "run");
    run_events.stop(session_.stream);
    sync_and_check("run");
    run_ms_ = run_events.elapsed_ms();
  }

  [[nodiscard]] VerifyOutcome verify() override {
    return verify_on_gpu(*gp_, judged_as(c_), gp_->output(), options_.seed, session_.stream);
  }

  void time(TrialResult* r) override;

  void release() override {
    workspace_.reset();
    runner_.reset();
  }

  void fail(TrialResult* r) override;

 private:
  const Problem& p_;
  const Candidate& c_;
  const TrialOptions& options_;
  GpuSession& session_;
  GpuProblem* gp_ = nullptr;
  bool candidate_involved_ = false;  ///< the candidate's own code (plan building) has been called
  std::unique_ptr<ConvRunner> runner_;
  std::unique_ptr<DeviceBuffer> workspace_;
  double run_ms_ = 0;  ///< event time of the verified run
};

void CudnnTrialSteps::time(TrialResult* r) {
  std::unique_ptr<DeviceBuffer> flush;
  TimingSettings settings;
  settings.warmup = options_.warmup;
  settings.repeats = options_.repeats;
  settings.min_time_ms = options_.min_time_ms;
  settings.max_time_ms = options_.max_time_ms;
  settings.best_so_far_ms = options_.best_so_far_ms;
  settings.first_run_ms = run_ms_;
  if (options_.flush_l2) {
    flush = std::make_unique<DeviceBuffer>(2 * session_.l2_bytes, "L2 flush buffer");
    settings.flush_buffer = flush->get();
    settings.flush_bytes = flush->bytes();
  }
  const TimingOutcome t = time_runner(*runner_, settings, session_.stream);
  sync_and_check("time");
  if (t.status != CUDNN_STATUS_SUCCESS) throw CudnnError(t.status, "timed run");
  if (!(t.timing.median_ms > 0)) throw TrialError(Verdict::failed, "impossible timing: median <= 0");
  r->time = t.timing;
  r->time->launches += 1;  // the verified run
  r->detail += std::string(r->detail.empty() ? "" : "; ") + timing_text(t, p_, options_);
}

void CudnnTrialSteps::fail(TrialResult* r) {
  try {
    throw;  // the exception being handled
  } catch (const StickyCudaError& e) {
    // The verdict stays CRASH (the context is gone and this trial has no other outcome), but a reader and a
    // policy author must see when it happened before any of the candidate's code ran.
    lose_context(
        r,
        std::string(e.what()) +
            (candidate_involved_ ? "" : " (before this candidate ran: convprobe's own setup of the problem)"),
        session_);
  } catch (const CudnnError& e) {
    // A failing cuDNN call may be the first to see a lost context: check before blaming cuDNN.
    const cudaError_t sticky = cudaDeviceSynchronize();
    if (is_sticky(sticky)) {
      lose_context(r, "sticky CUDA error " + cuda_error_text(sticky) + " after " + e.what(), session_);
    } else {
      r->verdict = verdict_for(e.status());
      r->detail = e.what();
    }
  } catch (...) {
    verdict_from_exception(r);
  }
}

}  // namespace

Candidate judged_as(const Candidate& c) {
  Candidate j = c;
  if (c.has_note("tf32") && !c.has_note("down_convert")) append_note(&j.notes, "down_convert");
  return j;
}

TrialResult run_cudnn_trial(const Problem& p, const Candidate& c, const TrialOptions& options,
                            TrialContext& context, GpuSession& session) {
  CudnnTrialSteps steps(p, c, options, session);
  return run_trial_phases(steps, options, context, "cuda:" + std::to_string(options.device));
}

}  // namespace convprobe::cudnn
