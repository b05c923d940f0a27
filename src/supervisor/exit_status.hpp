// How a worker ended, in words (ninja's ParseExitStatus, for verdicts): a death by signal is a CRASH named
// after the signal, an exit mid-trial is a CRASH with the status.
#pragma once

#include <string>

namespace convprobe {

/// "SIGSEGV", "SIGKILL", ... or "signal N" for one without a name.
[[nodiscard]] std::string signal_name(int signo);
/// A waitpid() status in words: "signal SIGSEGV (11)", "exit status 3", "core dumped" appended when set.
[[nodiscard]] std::string describe_wait_status(int status);

}  // namespace convprobe
