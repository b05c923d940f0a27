// One trial on a loaded backend, with whatever escapes the backend turned into a verdict. Shared by the
// worker (src/worker/worker_main.cpp) and the in-process executor, so both map exceptions the same way.
#pragma once

#include <functional>

#include "convprobe/backend.hpp"

namespace convprobe {

/// Whatever escapes the backend → a verdict by the one mapping (core/exception_verdict.hpp: TrialError → its
/// verdict, std::bad_alloc → OOM, anything else → FAILED), in the phase `current_phase` says; a result left
/// UNTESTED without detail → "backend returned no verdict". Fills wall_ms when the backend did not, and the
/// phase from `current_phase` when the backend left it at setup.
[[nodiscard]] TrialResult run_trial_guarded(Backend& backend, const Problem& problem,
                                            const Candidate& candidate, const TrialOptions& options,
                                            TrialContext& context,
                                            const std::function<Phase()>& current_phase);

}  // namespace convprobe
