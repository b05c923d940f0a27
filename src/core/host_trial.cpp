// The CPU trial runner: setup, run, verify, time, with every ordinary failure turned into a verdict.
#include "core/host_trial.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <new>
#include <vector>

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

TrialResult run_host_trial(const Problem& p, const Candidate& c, const TrialOptions& options,
                           TrialContext& context, HostProblemCache& cache, const HostSetup& setup) {
  const auto start = Clock::now();
  TrialResult r;
  r.device = "cpu";
  const auto enter = [&](Phase phase, double expected_ms) {
    r.phase = phase;
    context.enter_phase(phase, expected_ms);
  };
  try {
    enter(Phase::setup, expected_setup_ms(p, options));
    const HostKernel kernel = setup(p, c, options);
    if (!kernel.load || !kernel.run || !kernel.store) {
      throw TrialError(Verdict::failed,
                       "backend setup returned an incomplete kernel (load, run or store missing)");
    }
    r.workspace_bytes = kernel.workspace_bytes;
    check_workspace(kernel.workspace_bytes,
                    WorkspaceLimits{options.max_workspace_bytes, host_memory_bytes()});
    cache.get(p, options, options.verify);
    HostProblemCache::Entry& entry = *cache.entry_;
    HostTensor& out = entry.tensors.get(output_role(p.dir));
    out.poison();  // the previous candidate's output must not pass for this one's

    enter(Phase::run, expected_run_ms(p));
    kernel.load(entry.tensors);
    (void)kernel.run(0);  // its timing is not used: the verified run may include one-time work
    kernel.store(entry.tensors);

    if (options.verify) {
      enter(Phase::verify, static_cast<double>(out.bytes()) / kBytesPerMs);
      const VerifyOutcome v = verify_output(p, c, out, entry.reference);
      r.verify = v.info;
      r.rel_err = v.rel_err;
      r.detail = v.detail;
      if (v.verdict != Verdict::pass) {
        r.verdict = v.verdict;
        r.wall_ms = ms_since(start);
        return r;
      }
    } else {
      r.verify.math = math_label(p, c);
      r.detail = "not verified";
    }

    if (options.time) {
      const double per_run = expected_run_ms(p);
      enter(Phase::time,
            per_run * (std::max(0, options.warmup) + std::max(1, options.repeats)) + options.min_time_ms);
      r.time = time_kernel(kernel, options);
    }
    r.verdict = Verdict::pass;
    r.phase = Phase::done;
  } catch (const TrialError& e) {
    r.verdict = e.verdict();
    r.detail = e.what();
  } catch (const std::bad_alloc&) {
    r.verdict = Verdict::oom;
    r.detail = fmt::format("out of host memory (std::bad_alloc) in phase {}", to_string(r.phase));
  } catch (const std::exception& e) {
    r.verdict = Verdict::failed;
    r.detail = e.what();
  }
  r.wall_ms = ms_since(start);
  return r;
}

}  // namespace convprobe
