#include "exec/guarded_trial.hpp"

#include <chrono>

#include "core/exception_verdict.hpp"

namespace convprobe {

TrialResult run_trial_guarded(Backend& backend, const Problem& problem, const Candidate& candidate,
                              const TrialOptions& options, TrialContext& context,
                              const std::function<Phase()>& current_phase) {
  const auto start = std::chrono::steady_clock::now();
  TrialResult result;
  try {
    result = backend.run_trial(problem, candidate, options, context);
  } catch (...) {
    result.phase = current_phase();  // where the backend was when it threw: the verdict names it
    verdict_from_exception(&result);
  }
  if (result.verdict == Verdict::untested && result.detail.empty())
    result.detail = "backend returned no verdict";
  if (!(result.wall_ms > 0)) {
    result.wall_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  }
  if (result.phase == Phase::setup) result.phase = current_phase();
  return result;
}

}  // namespace convprobe
