#include "core/trial_phases.hpp"

#include <chrono>
#include <functional>

namespace convprobe {

namespace {

/// The phases after setup; false when the trial ended early (a mismatch).
bool run_checked_phases(TrialSteps& steps, const TrialOptions& options, TrialResult* r,
                        const std::function<void(Phase)>& enter) {
  enter(Phase::run);
  steps.run();
  if (options.verify) {
    enter(Phase::verify);
    const VerifyOutcome v = steps.verify();
    r->verify = v.info;
    r->rel_err = v.rel_err;
    r->detail = v.detail;
    if (v.verdict != Verdict::pass) {
      r->verdict = v.verdict;
      return false;
    }
  } else {
    steps.skip_verify(r);
  }
  if (options.time) {
    enter(Phase::time);
    steps.time(r);
  }
  return true;
}

}  // namespace

TrialResult run_trial_phases(TrialSteps& steps, const TrialOptions& options, TrialContext& context,
                             std::string device) {
  const auto start = std::chrono::steady_clock::now();
  TrialResult r;
  r.device = std::move(device);
  const auto enter = [&](Phase phase) {
    r.phase = phase;
    context.enter_phase(phase, steps.expected_ms(phase));
  };
  try {
    enter(Phase::setup);
    steps.setup(&r);
    steps.poison();
    if (run_checked_phases(steps, options, &r, enter)) r.verdict = Verdict::pass;
    steps.release();
  } catch (...) {
    steps.release();
    steps.fail(&r);
  }
  r.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace convprobe
