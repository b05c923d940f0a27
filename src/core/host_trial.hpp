// The trial runner shared by CPU backends (reference, onednn, fault): inputs and reference once per problem,
// then per candidate: setup, poison, run, verify, time (steady clock, warm-up, median of repeats).
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "convprobe/backend.hpp"
#include "core/tensor.hpp"
#include "core/verify.hpp"

namespace convprobe {

/// Thrown by a backend's setup or run to end the trial with a given verdict (UNSUPPORTED, FAILED, OOM,
/// SKIPPED, ...). The message is the verdict's detail.
class TrialError : public std::runtime_error {
 public:
  TrialError(Verdict verdict, const std::string& detail) : std::runtime_error(detail), verdict_(verdict) {}
  [[nodiscard]] Verdict verdict() const { return verdict_; }

 private:
  Verdict verdict_;
};

/// What a CPU backend's setup returns: a ready-to-run computation bound to the problem.
struct HostKernel {
  /// Copy the inputs in (reorders allowed); untimed. Called before every verified run.
  std::function<void(const ConvTensors&)> load;
  /// The computation. `iteration` lets the kernel rotate among its own buffer sets while timing.
  /// Returns elapsed ms if the backend measures it itself, or a negative number to let the runner time it.
  std::function<double(int iteration)> run;
  /// Write the output into the plain output tensor of `t`; untimed.
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

 private:
  std::unique_ptr<Entry> entry_;
  bool has_reference_ = false;
};

/// Run one trial of a CPU candidate. Catches TrialError (its verdict), std::bad_alloc (OOM) and other
/// exceptions (FAILED with message). Reports phases to `context`.
[[nodiscard]] TrialResult run_host_trial(const Problem& p, const Candidate& c, const TrialOptions& options,
                                         TrialContext& context, HostProblemCache& cache, const HostSetup& setup);

}  // namespace convprobe
