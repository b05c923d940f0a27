// The sequence every trial runner follows, written once: setup, poison, run, verify, time. Each phase is
// announced to the context before it starts (in a worker: a heartbeat that restarts the watchdog's deadline)
// with the runner's estimate of its length, and whatever a step throws becomes the trial's verdict. The CPU
// runner (core/host_trial.cpp) and the cuDNN runner (backends/cudnn/cudnn_trial.cpp) supply the steps.
#pragma once

#include <string>

#include "convprobe/backend.hpp"
#include "core/exception_verdict.hpp"
#include "core/verify.hpp"

namespace convprobe {

/// One runner's steps for one trial. run_trial_phases calls them in order; any of them may throw.
class TrialSteps {
 public:
  virtual ~TrialSteps() = default;
  /// The watchdog's expectation for `phase`, which starts now (ms; 0: none). The deadline is a multiple.
  [[nodiscard]] virtual double expected_ms(Phase phase) const = 0;
  /// Setup: build the candidate and the problem's inputs (and reference, when verifying); record
  /// r->workspace_bytes. A workspace above the limits is SKIPPED (core/workspace_limit.hpp).
  virtual void setup(TrialResult* r) = 0;
  /// Still in setup: poison the output, so what the candidate leaves unwritten shows in verify.
  virtual void poison() = 0;
  /// Run: the candidate once, into the poisoned output (the verified run).
  virtual void run() = 0;
  /// Verify (options.verify): the output against the reference.
  [[nodiscard]] virtual VerifyOutcome verify() = 0;
  /// When options.verify is off, instead of verify: what the result says then. Default: nothing.
  virtual void skip_verify(TrialResult* /*r*/) {}
  /// Time (options.time): r->time, and whatever the runner adds to r->detail.
  virtual void time(TrialResult* r) = 0;
  /// The trial is over (passed, mismatched or thrown): free what the steps hold for it (the kernel, device
  /// buffers), before the wall time is taken and before an exception is mapped, as leaving a scope would.
  virtual void release() {}
  /// Inside a catch block, after release(): the verdict for the exception in flight. Default: the one
  /// mapping, verdict_from_exception; a runner with errors of its own (a lost GPU context) handles those
  /// first.
  virtual void fail(TrialResult* r) { verdict_from_exception(r); }
};

/// Runs one trial through the steps. The result has `device`, the last phase entered, the verification
/// (its detail is the result's detail, to which time() may add), the timing, and the whole trial's wall time.
/// A MISMATCH ends the trial after verify; an exception ends it where it was thrown (TrialSteps::fail).
[[nodiscard]] TrialResult run_trial_phases(TrialSteps& steps, const TrialOptions& options,
                                           TrialContext& context, std::string device);

}  // namespace convprobe
