#include "jobs/child_program.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "supervisor/spawn_setup.hpp"
#include "supervisor/worker_process.hpp"

namespace convprobe {

namespace {

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

/// The program gets the signal dispositions a shell would give it, whatever convprobe set for itself.
void default_signals(posix_spawnattr_t* attr) {
  sigset_t empty;
  sigset_t defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGPIPE}) sigaddset(&defaults, s);
  posix_spawnattr_setflags(attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(attr, 0);
  posix_spawnattr_setsigmask(attr, &empty);
  posix_spawnattr_setsigdefault(attr, &defaults);
}

}  // namespace

std::unique_ptr<ChildProgram> ChildProgram::start(const ChildProgramSpec& spec, std::string* err) {
  if (spec.argv.empty()) {
    *err = "no program to run: give it after '--'";
    return nullptr;
  }
  int errpipe[2] = {-1, -1};
  if (::pipe2(errpipe, O_CLOEXEC) != 0) {
    *err = std::string("cannot create a pipe: ") + std::strerror(errno);
    return nullptr;
  }
  SpawnSetup plumbing;
  posix_spawn_file_actions_addopen(&plumbing.actions, 0, "/dev/null", O_RDONLY, 0);
  if (spec.stdout_fd != STDOUT_FILENO)
    posix_spawn_file_actions_adddup2(&plumbing.actions, spec.stdout_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&plumbing.actions, errpipe[1], STDERR_FILENO);
  default_signals(&plumbing.attr);

  std::vector<std::string> args = spec.argv;
  std::vector<std::string> env = child_environment(spec.env);
  auto argv = pointers(args);
  auto envp = pointers(env);
  pid_t pid = -1;
  const int rc =
      ::posix_spawnp(&pid, args[0].c_str(), &plumbing.actions, &plumbing.attr, argv.data(), envp.data());
  ::close(errpipe[1]);
  if (rc != 0) {
    ::close(errpipe[0]);
    *err = "cannot run '" + spec.argv[0] + "': " + std::strerror(rc);
    return nullptr;
  }
  std::unique_ptr<ChildProgram> child(new ChildProgram());
  child->pid_ = pid;
  child->stderr_fd_ = errpipe[0];
  ::fcntl(child->stderr_fd_, F_SETFL, ::fcntl(child->stderr_fd_, F_GETFL) | O_NONBLOCK);
  return child;
}

ChildProgram::~ChildProgram() {
  close_stderr();
  if (!reaped_) {
    signal_group(SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

std::string ChildProgram::read_stderr(std::chrono::milliseconds timeout) {
  if (stderr_fd_ < 0) return {};
  pollfd p{stderr_fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(stderr_fd_, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
      if (out.size() >= (size_t{1} << 20)) return out;  // let the caller keep up with a chatty program
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return out;
    close_stderr();  // end of stream, or an error that ends it
    return out;
  }
}

void ChildProgram::close_stderr() {
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
  stderr_fd_ = -1;
}

void ChildProgram::signal_group(int signo) {
  if (!reaped_ && pid_ > 0) ::kill(-pid_, signo);
}

bool ChildProgram::try_reap() {
  if (reaped_) return true;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    wait_status_ = status;
  }
  return reaped_;
}

}  // namespace convprobe
