// The worker's side of the protocol (`convprobe worker --backend NAME --device N`): load one backend plugin,
// say hello, then answer requests one at a time until the supervisor closes the pipe. Every phase a trial
// enters becomes a heartbeat, which restarts the supervisor's watchdog for that phase.
#pragma once

#include <string>

namespace convprobe {

struct WorkerMainOptions {
  std::string backend;
  int device = 0;
  int fd_in = 3;   ///< requests from the supervisor
  int fd_out = 4;  ///< responses to the supervisor
};

/// Runs the worker loop; returns the process exit code (0: the supervisor closed the pipe; 2: bad setup or
/// a malformed request). Never returns while a trial runs: a hang is ended by the supervisor's SIGKILL.
int run_worker(const WorkerMainOptions& options);

/// Environment variable carrying the supervisor's pid: a worker whose parent is already gone exits at once
/// (the death signal it asks for covers the rest of its life).
inline constexpr const char* kSupervisorPidEnv = "CONVPROBE_SUPERVISOR_PID";

}  // namespace convprobe
