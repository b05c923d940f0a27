// The child writes one line, "ok" or "error <what ONNX threw>", then the inferred model; the parent reads to
// the end or the deadline, kills the child at the deadline, and judges by the child's exit status.
#include "sources/onnx_shape_inference.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <exception>

namespace convprobe::sources {
namespace {

constexpr size_t kKeptValueBytes = 4096;

bool floating(int32_t type) {
  return type == onnx::TensorProto::FLOAT || type == onnx::TensorProto::FLOAT16 ||
         type == onnx::TensorProto::BFLOAT16 || type == onnx::TensorProto::DOUBLE;
}

std::string first_line(const char* text) {
  const std::string s = text;
  return s.substr(0, s.find('\n'));
}

/// In the child: infer, send, exit without running the parent's exit handlers.
[[noreturn]] void child(onnx::ModelProto* model, int fd) {
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);  // a crash here is expected of some models: no core file for it
  std::string head = "ok\n";
  try {
    onnx::shape_inference::InferShapes(*model, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(false, 0, true));
  } catch (const std::exception& e) {
    head = "error " + first_line(e.what()) + "\n";
  } catch (...) {
    head = "error an exception that is not a std::exception\n";
  }
  std::string message = head;
  if (!model->AppendToString(&message)) _exit(3);
  for (size_t sent = 0; sent < message.size();) {
    const ssize_t n = ::write(fd, message.data() + sent, message.size() - sent);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(4);
    sent += static_cast<size_t>(n);
  }
  _exit(0);
}

/// Reads `fd` to its end or to the deadline; false when the deadline came first.
bool read_until(int fd, std::chrono::steady_clock::time_point deadline, std::string* out) {
  char buffer[1 << 16];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1 << 30)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return false;
    if (ready < 0) return true;  // nothing more to read; the exit status tells
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    out->append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace

void drop_weight_values(onnx::ModelProto* model) {
  for (auto& t : *model->mutable_graph()->mutable_initializer()) {
    if (!floating(t.data_type()) || t.ByteSizeLong() <= kKeptValueBytes) continue;
    t.clear_raw_data();
    t.clear_float_data();
    t.clear_int32_data();  // FLOAT16 and BFLOAT16 values
    t.clear_double_data();
  }
}

std::string infer_shapes_isolated(onnx::ModelProto* model, int64_t timeout_ms) {
  // The first schema lookup builds ONNX's table of every operator (about 20 ms): here, once, not in each
  // child.
  (void)onnx::OpSchemaRegistry::Schema("Conv", 13, "");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return fmt::format("could not start (pipe: {})", std::strerror(errno));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return fmt::format("could not start (fork: {})", std::strerror(error));
  }
  if (pid == 0) {
    ::close(fds[0]);
    child(model, fds[1]);
  }
  ::close(fds[1]);
  std::string got;
  const bool finished = read_until(fds[0], deadline, &got);
  ::close(fds[0]);
  if (!finished) ::kill(pid, SIGKILL);
  int status = 0;
  pid_t waited = 0;
  do {
    waited = ::waitpid(pid, &status, 0);
  } while (waited < 0 && errno == EINTR);
  if (!finished) return fmt::format("did not finish in {} ms", timeout_ms);
  // waitpid fails (ECHILD) only where SIGCHLD is ignored; then the message, complete or not, decides.
  if (waited == pid && WIFSIGNALED(status)) return fmt::format("crashed ({})", ::strsignal(WTERMSIG(status)));
  if (waited == pid && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
    return fmt::format("failed (exit status {})", WEXITSTATUS(status));
  }
  const size_t eol = got.find('\n');
  onnx::ModelProto inferred;
  if (eol == std::string::npos || got.size() - eol - 1 > static_cast<size_t>(INT_MAX) ||
      !inferred.ParseFromArray(got.data() + eol + 1, static_cast<int>(got.size() - eol - 1))) {
    return "sent back no model";
  }
  *model = std::move(inferred);
  return got.starts_with("ok\n") ? std::string() : got.substr(6, eol - 6);
}

}  // namespace convprobe::sources
