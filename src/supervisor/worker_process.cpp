#include "supervisor/worker_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "supervisor/spawn_setup.hpp"

extern char** environ;

namespace convprobe {

namespace {

std::string errno_text(const char* what, int err) { return std::string(what) + ": " + std::strerror(err); }

/// Moves a descriptor to >= 10, close-on-exec, so the child's dup2 onto 0..4 can never clobber another one
/// of its sources (and dup2 onto an identical number never leaves close-on-exec set).
int move_high(int fd) {
  const int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  ::close(fd);
  return high;
}

void close_fd(int* fd) {
  if (*fd >= 0) ::close(*fd);
  *fd = -1;
}

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

/// Reads until EAGAIN. Returns false at end of stream or on a hard error.
template <class Sink>
bool drain(int fd, const Sink& sink) {
  char buf[16384];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      sink(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    return false;  // 0: end of stream; < 0: error
  }
}

}  // namespace

std::vector<std::string> child_environment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos && overrides.count(entry.substr(0, eq)) != 0) continue;
    env.push_back(entry);
  }
  for (const auto& [key, value] : overrides) env.push_back(std::string(key).append("=").append(value));
  return env;
}

std::unique_ptr<WorkerProcess> WorkerProcess::spawn(const WorkerCommand& command, std::string* err) {
  int request[2] = {-1, -1};   // socket: the supervisor writes with MSG_NOSIGNAL (no SIGPIPE if it died)
  int response[2] = {-1, -1};  // pipe: the worker writes, the supervisor reads
  int errpipe[2] = {-1, -1};   // pipe: the worker's stdout + stderr
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, request) != 0 || pipe2(response, O_CLOEXEC) != 0 ||
      pipe2(errpipe, O_CLOEXEC) != 0) {
    *err = errno_text("cannot create worker pipes", errno);
    for (int* fd : {&request[0], &request[1], &response[0], &response[1], &errpipe[0], &errpipe[1]})
      close_fd(fd);
    return nullptr;
  }
  int child_request = move_high(request[1]);
  int child_response = move_high(response[1]);
  int child_stderr = move_high(errpipe[1]);

  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions, child_request, kChildRequestFd);
  posix_spawn_file_actions_adddup2(&setup.actions, child_response, kChildResponseFd);
  posix_spawn_file_actions_adddup2(&setup.actions, child_stderr, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, child_stderr, STDERR_FILENO);
  // Nothing else of the supervisor (database, other workers' pipes) leaks into a worker.
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, kChildResponseFd + 1);

  sigset_t empty;
  sigset_t defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGPIPE}) sigaddset(&defaults, s);
  posix_spawnattr_setflags(&setup.attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&setup.attr, 0);  // its own group: Ctrl-C reaches only the supervisor
  posix_spawnattr_setsigmask(&setup.attr, &empty);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);

  std::vector<std::string> args{command.executable};
  args.insert(args.end(), command.args.begin(), command.args.end());
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = child_environment(command.env);
  std::vector<char*> envp;
  envp.reserve(env.size() + 1);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  const int rc =
      posix_spawn(&pid, command.executable.c_str(), &setup.actions, &setup.attr, argv.data(), envp.data());
  close_fd(&child_request);
  close_fd(&child_response);
  close_fd(&child_stderr);
  if (rc != 0) {
    *err = errno_text(("cannot start worker " + command.executable).c_str(), rc);
    close_fd(&request[0]);
    close_fd(&response[0]);
    close_fd(&errpipe[0]);
    return nullptr;
  }
  std::unique_ptr<WorkerProcess> w(new WorkerProcess());
  w->pid_ = pid;
  w->request_fd_ = request[0];
  w->response_fd_ = response[0];
  w->stderr_fd_ = errpipe[0];
  w->started_ = Clock::now();
  set_nonblocking(w->response_fd_);
  set_nonblocking(w->stderr_fd_);
  return w;
}

WorkerProcess::~WorkerProcess() {
  if (!reaped_ && pid_ > 0) {
    kill_group();
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  close_fd(&request_fd_);
  close_fd(&response_fd_);
  close_fd(&stderr_fd_);
}

bool WorkerProcess::send(const nlohmann::json& message, std::string* err) {
  if (request_fd_ < 0) {
    *err = "request pipe already closed";
    return false;
  }
  return protocol::write_frame(request_fd_, message, err);
}

void WorkerProcess::close_requests() { close_fd(&request_fd_); }

void WorkerProcess::read_responses() {
  if (response_fd_ < 0) return;
  if (!drain(response_fd_, [this](const char* d, size_t n) { decoder_.append(d, n); }))
    close_fd(&response_fd_);
}

void WorkerProcess::read_stderr() {
  if (stderr_fd_ < 0) return;
  if (!drain(stderr_fd_, [this](const char* d, size_t n) { stderr_tail_.append(std::string_view(d, n)); })) {
    close_fd(&stderr_fd_);
  }
}

void WorkerProcess::kill_group() {
  if (killed_ || reaped_ || pid_ <= 0) return;
  killed_ = true;
  // The group id is the worker's pid (POSIX_SPAWN_SETPGROUP with 0): this ends the worker and anything it
  // started (compilers, helper processes). The pid is not reaped yet, so neither number can be reused.
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);  // in case the worker left its group (setsid): the pid itself is still ours
}

bool WorkerProcess::try_reap() {
  if (reaped_) return true;
  int status = 0;
  pid_t r = 0;
  do {
    r = waitpid(pid_, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_ || (r < 0 && errno == ECHILD)) {
    reaped_ = true;
    wait_status_ = r == pid_ ? status : 0;
  }
  return reaped_;
}

}  // namespace convprobe
