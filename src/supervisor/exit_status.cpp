#include "supervisor/exit_status.hpp"

#include <sys/wait.h>

#include <csignal>
#include <cstring>

namespace convprobe {

std::string signal_name(int signo) {
  // sigabbrev_np (glibc 2.32+) gives "SEGV"; fall back to the number for real-time or unknown signals.
  if (const char* abbrev = sigabbrev_np(signo); abbrev != nullptr) return std::string("SIG") + abbrev;
  return "signal " + std::to_string(signo);
}

std::string describe_wait_status(int status) {
  if (WIFSIGNALED(status)) {
    const int signo = WTERMSIG(status);
    std::string text = "signal " + signal_name(signo) + " (" + std::to_string(signo) + ")";
    if (WCOREDUMP(status)) text += ", core dumped";
    return text;
  }
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  return "unknown wait status " + std::to_string(status);
}

}  // namespace convprobe
