// The CPU trial runner: its steps of the shared phase skeleton (core/trial_phases.hpp), and its timer.
#include "core/host_trial.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include "core/trial_phases.hpp"
#include "core/workspace_limit.hpp"

namespace convprobe {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Pessimistic speeds for the watchdog's expectations (a slow CPU under load, not a fast one at rest).
constexpr double kRunFlopsPerMs = 2e6;       // 2 GFLOP/s for a backend's kernel
constexpr double kReferenceMacsPerMs = 1e5;  // 0.1 GMAC/s for the fp64 reference
constexpr double kBytesPerMs = 1e6;          // 1 GB/s to fill, copy, poison or scan a tensor
/// Upper bound on timed runs when min_time_ms keeps asking for more (a sub-microsecond kernel).
constexpr size_t kMaxTimedRuns = 100000;
/// Timed runs still taken when max_time_ms is reached sooner.
constexpr size_t kMinSamplesUnderTimeCap = 3;

std::string cache_key(const Problem& p, const TrialOptions& o) {
  return fmt::format("{}|seed={}|full<={}|points={}", key(p), o.seed, o.full_verify_max_macs,
                     o.sample_points);
}

double expected_setup_ms(const Problem& p, const TrialOptions& o) {
  const double out = static_cast<double>(p.output_elems());
  const double points = std::min(out, static_cast<double>(std::max<int64_t>(o.sample_points, 16384)));
  const double k = static_cast<double>(p.reduction_length());
  const double ref_macs = out * k <= o.full_verify_max_macs ? out * k : points * k;
  return static_cast<double>(p.bytes()) / kBytesPerMs + (o.verify ? ref_macs / kReferenceMacsPerMs : 0.0);
}

double expected_run_ms(const Problem& p) {
  return p.flops() / kRunFlopsPerMs + static_cast<double>(p.bytes()) / kBytesPerMs;
}

/// One run of the kernel, timed by the kernel itself or by the runner (see HostKernel::run).
double timed_run(const HostKernel& kernel, int iteration) {
  const auto start = Clock::now();
  const double reported = kernel.run(iteration);
  const double measured = ms_since(start);
  if (std::isfinite(reported) && reported < 0) return measured;
  if (!std::isfinite(reported) || reported <= 0) {
    throw TrialError(Verdict::failed,
                     fmt::format("impossible timing: run {} reported {} ms (must be finite and > 0, or "
                                 "negative to let the runner time it)",
                                 iteration, reported));
  }
  return reported;
}

Timing time_kernel(const HostKernel& kernel, const TrialOptions& o) {
  int iteration = 1;
  for (int i = 0; i < o.warmup; ++i) (void)timed_run(kernel, iteration++);
  const size_t wanted = static_cast<size_t>(std::max(1, o.repeats));
  const size_t wanted_if_slow = std::min(wanted, static_cast<size_t>(kSlowCandidateRepeats));
  bool slow = false;
  double total = 0;
  std::vector<double> samples;
  while (true) {
    const double ms = timed_run(kernel, iteration++);
    samples.push_back(ms);
    total += ms;
    // Far slower than the best candidate so far: a few runs say so well enough, and min_time_ms is not
    // worth spending on a loser.
    if (samples.size() == 1 && o.best_so_far_ms > 0 && ms > kSlowCandidateFactor * o.best_so_far_ms)
      slow = true;
    if (slow ? samples.size() >= wanted_if_slow : samples.size() >= wanted && total >= o.min_time_ms) break;
    // --max-time-ms: long runs stop after a few samples (their medians settle fast).
    if (!slow && o.max_time_ms > 0 && samples.size() >= std::min<size_t>(wanted, kMinSamplesUnderTimeCap) &&
        total >= o.max_time_ms)
      break;
    if (samples.size() >= kMaxTimedRuns) break;
  }
  Timing t = summarize_samples(std::move(samples));
  t.launches = 1 + std::max(0, o.warmup) + t.repeats;  // the verified run, warm-up, timed runs
  return t;
}

}  // namespace

const HostProblemCache::Entry& HostProblemCache::get(const Problem& p, const TrialOptions& options,
                                                     bool need_reference) {
  const std::string k = cache_key(p, options);
  if (!entry_ || entry_->key != k) {
    entry_.reset();  // free the previous problem's tensors before allocating the next one's
    has_reference_ = false;
    auto e = std::make_unique<Entry>();
    e->key = k;
    e->tensors = make_tensors(p, options.seed);
    ++input_builds_;
    entry_ = std::move(e);
  }
  if (need_reference && !has_reference_) {
    entry_->reference = compute_reference(p, entry_->tensors, options);
    has_reference_ = true;
    ++reference_builds_;
  }
  return *entry_;
}

/// The CPU runner's steps for one trial: the backend's kernel on the cached inputs, timed by the steady
/// clock unless the kernel times itself.
class HostTrialSteps final : public TrialSteps {
 public:
  HostTrialSteps(const Problem& p, const Candidate& c, const TrialOptions& options, HostProblemCache& cache,
                 const HostSetup& setup)
      : p_(p), c_(c), options_(options), cache_(cache), setup_(setup) {}

  [[nodiscard]] double expected_ms(Phase phase) const override {
    switch (phase) {
      case Phase::setup:
        return expected_setup_ms(p_, options_);
      case Phase::run:
        return expected_run_ms(p_);
      case Phase::verify:
        return static_cast<double>(output().bytes()) / kBytesPerMs;
      case Phase::time:
        return expected_run_ms(p_) * (std::max(0, options_.warmup) + std::max(1, options_.repeats)) +
               options_.min_time_ms;
      case Phase::done:
        break;
    }
    return 0;
  }

  void setup(TrialResult* r) override {
    kernel_ = setup_(p_, c_, options_);
    if (!kernel_.load || !kernel_.run || !kernel_.store) {
      throw TrialError(Verdict::failed,
                       "backend setup returned an incomplete kernel (load, run or store missing)");
    }
    r->workspace_bytes = kernel_.workspace_bytes;
    check_workspace(kernel_.workspace_bytes,
                    WorkspaceLimits{options_.max_workspace_bytes, host_memory_bytes()});
    cache_.get(p_, options_, options_.verify);
  }

  void poison() override {
    output().poison();
  }  // the previous candidate's output must not pass for this one's

  void run() override {
    HostProblemCache::Entry& entry = *cache_.entry_;
    kernel_.load(entry.tensors);
    (void)kernel_.run(0);  // its timing is not used: the verified run may include one-time work
    kernel_.store(entry.tensors);
  }

  [[nodiscard]] VerifyOutcome verify() override {
    return verify_output(p_, c_, output(), cache_.entry_->reference);
  }

  void skip_verify(TrialResult* r) override {
    r->verify.math = math_label(p_, c_);
    r->detail = "not verified";
  }

  void time(TrialResult* r) override { r->time = time_kernel(kernel_, options_); }

  void release() override { kernel_ = HostKernel{}; }

 private:
  [[nodiscard]] HostTensor& output() const { return cache_.entry_->tensors.get(output_role(p_.dir)); }

  const Problem& p_;
  const Candidate& c_;
  const TrialOptions& options_;
  HostProblemCache& cache_;
  const HostSetup& setup_;
  HostKernel kernel_;
};

TrialResult run_host_trial(const Problem& p, const Candidate& c, const TrialOptions& options,
                           TrialContext& context, HostProblemCache& cache, const HostSetup& setup) {
  HostTrialSteps steps(p, c, options, cache, setup);
  TrialResult r = run_trial_phases(steps, options, context, "cpu");
  if (r.verdict == Verdict::pass) r.phase = Phase::done;
  return r;
}

}  // namespace convprobe
