#include "exec/guarded_trial.hpp"

#include <chrono>
#include <new>
#include <string>

#include "core/host_trial.hpp"

namespace convprobe {

TrialResult run_trial_guarded(Backend& backend, const Problem& problem, const Candidate& candidate,
                              const TrialOptions& options, TrialContext& context,
                              const std::function<Phase()>& current_phase) {
  const auto start = std::chrono::steady_clock::now();
  TrialResult result;
  try {
    result = backend.run_trial(problem, candidate, options, context);
  } catch (const TrialError& e) {
    result.verdict = e.verdict();
    result.detail = e.what();
  } catch (const std::bad_alloc&) {
    result.verdict = Verdict::oom;
    result.detail = "std::bad_alloc";
  } catch (const std::exception& e) {
    result.verdict = Verdict::failed;
    result.detail = std::string("exception: ") + e.what();
  } catch (...) {
    result.verdict = Verdict::failed;
    result.detail = "unknown exception";
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
