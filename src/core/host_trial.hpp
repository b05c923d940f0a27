// The trial runner shared by CPU backends (reference, onednn, fault, miopen): inputs and reference once per
// problem, then per candidate the steps of the shared phase skeleton (core/trial_phases.hpp): setup, poison,
// run, verify, time (steady clock, warm-up, median of repeats).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "convprobe/backend.hpp"
#include "core/tensor.hpp"
#include "core/verify.hpp"

namespace convprobe {

/// What a CPU backend's setup returns: a ready-to-run computation bound to the problem.
struct HostKernel {
  /// Copy the inputs in (reorders allowed); untimed. Called before every verified run.
  std::function<void(const ConvTensors&)> load;
  /// The computation. `iteration` lets the kernel rotate among its own buffer sets while timing
  /// (0: the verified run; then 1.. for warm-up and timed runs).
  /// Returns elapsed ms if the backend measures it itself, or a finite negative number (e.g. -1) to let the
  /// runner time it with the steady clock. Anything else, 0, -0.0, NaN or +-Inf, is an impossible timing:
  /// the trial ends FAILED "impossible timing: ..." in the time phase (the fault backend's `badtime`).
  std::function<double(int iteration)> run;
  /// Write the output into the plain output tensor of `t` (t.get(output_role(p.dir))), which the runner has
  /// poisoned before the run; untimed. The runner passes the cached problem tensors.
  std::function<void(ConvTensors& t)> store;
  int64_t workspace_bytes = 0;
};

using HostSetup = std::function<HostKernel(const Problem&, const Candidate&, const TrialOptions&)>;

/// Inputs and reference for the current problem, built once and reused by every candidate of the problem
/// (keyed by problem key + seed + verification settings). One per backend object.
class HostProblemCache {
 public:
  struct Entry {
    std::string key;
    ConvTensors tensors;  ///< inputs filled; output poisoned
    ReferenceData reference;
  };
  /// Returns the entry for (p, options), building it if the problem changed.
  const Entry& get(const Problem& p, const TrialOptions& options, bool need_reference);
  /// How many times inputs were generated and how many times a reference was computed (tests check that a
  /// problem's candidates share one of each).
  [[nodiscard]] int input_builds() const { return input_builds_; }
  [[nodiscard]] int reference_builds() const { return reference_builds_; }

 private:
  // The runner's steps re-poison the cached output tensor in place before each candidate instead of copying
  // it.
  friend class HostTrialSteps;
  std::unique_ptr<Entry> entry_;
  bool has_reference_ = false;
  int input_builds_ = 0;
  int reference_builds_ = 0;
};

/// A candidate whose first timed run is more than kSlowCandidateFactor times the best median so far on the
/// problem gets only kSlowCandidateRepeats timed runs (a 10x gap is far outside timing noise).
inline constexpr double kSlowCandidateFactor = 10.0;
inline constexpr int kSlowCandidateRepeats = 3;

/// Run one trial of a CPU candidate through the shared phase skeleton (core/trial_phases.hpp), which reports
/// phases to `context` and maps exceptions to verdicts (core/exception_verdict.hpp).
/// Phases: setup (backend setup, then inputs and reference from `cache`; a workspace above
/// options.max_workspace_bytes is SKIPPED), run (load, run(0), store into the poisoned output), verify,
/// time (options.warmup untimed runs, then options.repeats timed runs, continued until options.min_time_ms
/// of timed runs; if options.best_so_far_ms > 0 and the first timed run is more than kSlowCandidateFactor
/// times slower, only kSlowCandidateRepeats runs are timed). PASS carries the verify detail and ends in
/// phase done.
[[nodiscard]] TrialResult run_host_trial(const Problem& p, const Candidate& c, const TrialOptions& options,
                                         TrialContext& context, HostProblemCache& cache,
                                         const HostSetup& setup);

}  // namespace convprobe
