// A user's program run under `convprobe capture`: started with posix_spawnp (a PATH search, like a shell) in
// a process group of its own, so that stopping it (--max-seconds, --steps, Ctrl-C forwarded) stops whatever
// it started too (data-loader workers); stdin from /dev/null (a background group that reads the terminal
// would stop, which would look like a hang); its stderr through a pipe that capture reads and passes on.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace convprobe {

struct ChildProgramSpec {
  std::vector<std::string> argv;           ///< argv[0] is looked up on PATH
  std::map<std::string, std::string> env;  ///< set on top of this process's environment
  int stdout_fd = 1;                       ///< where its stdout goes
};

class ChildProgram {
 public:
  /// nullptr with *err ("cannot run 'trian.py': No such file or directory") when it cannot be started.
  static std::unique_ptr<ChildProgram> start(const ChildProgramSpec& spec, std::string* err);
  /// Kills the group and reaps the child if that has not happened yet.
  ~ChildProgram();
  ChildProgram(const ChildProgram&) = delete;
  ChildProgram& operator=(const ChildProgram&) = delete;

  /// Waits up to `timeout` for stderr bytes and returns what arrived (empty at end of stream or timeout).
  std::string read_stderr(std::chrono::milliseconds timeout);
  [[nodiscard]] bool stderr_open() const { return stderr_fd_ >= 0; }
  /// Stops reading stderr (a grandchild may hold the pipe open after the program itself ended).
  void close_stderr();

  /// Sends `signo` to the whole group (no-op once reaped).
  void signal_group(int signo);
  /// waitpid(WNOHANG); true once reaped.
  bool try_reap();
  [[nodiscard]] bool reaped() const { return reaped_; }
  [[nodiscard]] int wait_status() const { return wait_status_; }
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  ChildProgram() = default;
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  bool reaped_ = false;
  int wait_status_ = 0;
};

}  // namespace convprobe
