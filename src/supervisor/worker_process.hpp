// One worker process, entirely passive (ninja's Subprocess): it owns the pid and the three pipes, buffers
// what arrives, and does what it is told. WorkerSet waits on many of them in one ppoll loop; the scheduler
// decides what their bytes mean.
//
// The child is started with posix_spawn in its own process group (so a terminal's Ctrl-C reaches only the
// supervisor, and kill(-pgid, SIGKILL) ends the worker together with anything it started), stdin from
// /dev/null, requests on fd 3, responses on fd 4, stdout and stderr both into one captured pipe (vendor
// libraries print to stdout), every other descriptor closed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "supervisor/output_tail.hpp"
#include "worker/protocol.hpp"

namespace convprobe {

struct WorkerCommand {
  std::string executable;
  std::vector<std::string> args;           ///< argv[1..]
  std::map<std::string, std::string> env;  ///< set in the child on top of this process's environment
};

class WorkerProcess {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kChildRequestFd = 3;   ///< the child reads requests here
  static constexpr int kChildResponseFd = 4;  ///< the child writes responses here

  /// Starts the child. Returns nullptr with *err set when it cannot be started (fork/exec failure).
  static std::unique_ptr<WorkerProcess> spawn(const WorkerCommand& command, std::string* err);
  /// Kills the process group if the child was not reaped yet and reaps it (blocking: after SIGKILL it is
  /// quick on a CPU; a GPU context may take ~100 ms to tear down).
  ~WorkerProcess();
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] Clock::time_point started() const { return started_; }

  /// Sends one framed message (blocking; requests are small). False with *err when the worker is gone.
  bool send(const nlohmann::json& message, std::string* err);
  /// Closes the request pipe: an idle worker reads end-of-stream and exits on its own.
  void close_requests();

  /// Descriptors to poll; -1 once closed (end of stream or error).
  [[nodiscard]] int response_fd() const { return response_fd_; }
  [[nodiscard]] int stderr_fd() const { return stderr_fd_; }
  /// Read whatever is available without blocking; close the descriptor at end of stream.
  void read_responses();
  void read_stderr();
  /// Next whole message received, if any (see protocol::FrameDecoder).
  protocol::FrameDecoder::Status next_message(nlohmann::json* out, std::string* err) {
    return decoder_.next(out, err);
  }

  /// SIGKILL to the whole process group (idempotent).
  void kill_group();
  [[nodiscard]] bool killed() const { return killed_; }
  /// waitpid(WNOHANG); true once the child has been reaped (its status is then known).
  bool try_reap();
  [[nodiscard]] bool reaped() const { return reaped_; }
  [[nodiscard]] int wait_status() const { return wait_status_; }
  /// The response stream has ended: the worker is gone or going (it may not be reaped yet).
  [[nodiscard]] bool response_closed() const { return response_fd_ < 0; }

  [[nodiscard]] const OutputTail& stderr_tail() const { return stderr_tail_; }

 private:
  WorkerProcess() = default;
  pid_t pid_ = -1;
  int request_fd_ = -1;
  int response_fd_ = -1;
  int stderr_fd_ = -1;
  bool killed_ = false;
  bool reaped_ = false;
  int wait_status_ = 0;
  Clock::time_point started_;
  protocol::FrameDecoder decoder_;
  OutputTail stderr_tail_;
};

/// The environment for a child: this process's environment with `overrides` set, as "KEY=VALUE" strings.
[[nodiscard]] std::vector<std::string> child_environment(const std::map<std::string, std::string>& overrides);

}  // namespace convprobe
