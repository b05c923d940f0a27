// The verdicts the supervisor writes itself, for trials whose worker could not answer: HANG (watchdog),
// CRASH (signal, exit mid-trial, protocol error). The detail's first line says what happened; the worker's
// last stderr lines follow, so a report can show the first line and a reader can see the rest.
#pragma once

#include <string>

#include "convprobe/trial.hpp"

namespace convprobe {

/// "no progress for 2003 ms in phase run (<watchdog_explanation>)" + stderr tail; the explanation is
/// PhaseWatch::hang_explanation ("deadline 2000 ms", plus CPU wait and confirmation under load).
[[nodiscard]] TrialResult hang_result(Phase phase, double silent_ms, const std::string& watchdog_explanation,
                                      const std::string& stderr_tail);
/// From a waitpid() status: "signal SIGSEGV (11) during run" or "worker exited with status 3 during run".
[[nodiscard]] TrialResult death_result(Phase phase, int wait_status, const std::string& stderr_tail);
/// "protocol error: bad magic ..." (the worker was killed for it).
[[nodiscard]] TrialResult protocol_error_result(Phase phase, const std::string& error,
                                                const std::string& stderr_tail);

/// Appends "\nworker stderr (last N lines):\n..." when the tail is not empty.
[[nodiscard]] std::string with_stderr_tail(std::string detail, const std::string& stderr_tail);

}  // namespace convprobe
