#include "supervisor/worker_verdicts.hpp"

#include <fmt/core.h>
#include <sys/wait.h>

#include <algorithm>

#include "supervisor/exit_status.hpp"

namespace convprobe {

std::string with_stderr_tail(std::string detail, const std::string& stderr_tail) {
  if (stderr_tail.empty()) return detail;
  const auto lines = 1 + std::count(stderr_tail.begin(), stderr_tail.end(), '\n');
  return fmt::format("{}\nworker stderr (last {} line{}):\n{}", detail, lines, lines == 1 ? "" : "s",
                     stderr_tail);
}

TrialResult hang_result(Phase phase, double silent_ms, const std::string& watchdog_explanation,
                        const std::string& stderr_tail) {
  TrialResult r;
  r.verdict = Verdict::hang;
  r.phase = phase;
  r.detail = with_stderr_tail(fmt::format("no progress for {:.0f} ms in phase {} ({})", silent_ms,
                                          to_string(phase), watchdog_explanation),
                              stderr_tail);
  return r;
}

TrialResult death_result(Phase phase, int wait_status, const std::string& stderr_tail) {
  TrialResult r;
  r.verdict = Verdict::crash;
  r.phase = phase;
  std::string what;
  if (WIFSIGNALED(wait_status)) {
    what = describe_wait_status(wait_status) + " during " + std::string(to_string(phase));
  } else if (WIFEXITED(wait_status)) {
    what = fmt::format("worker exited with status {} during {}", WEXITSTATUS(wait_status), to_string(phase));
  } else {
    what = describe_wait_status(wait_status);
  }
  r.detail = with_stderr_tail(std::move(what), stderr_tail);
  return r;
}

TrialResult protocol_error_result(Phase phase, const std::string& error, const std::string& stderr_tail) {
  TrialResult r;
  r.verdict = Verdict::crash;
  r.phase = phase;
  r.detail = with_stderr_tail("protocol error: " + error, stderr_tail);
  return r;
}

}  // namespace convprobe
