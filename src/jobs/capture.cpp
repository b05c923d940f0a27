// The capture loop: the program runs; its stderr is passed on to ours and read for MIOpen's command lines;
// the cuDNN log file it writes is read as it grows; progress is shown; the program is stopped when a limit is
// reached or convprobe is interrupted; whatever was logged until then is written out.
#include "jobs/capture.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "base/line_splitter.hpp"
#include "base/text.hpp"
#include "core/shell_quote.hpp"
#include "jobs/capture_output.hpp"
#include "jobs/child_program.hpp"
#include "jobs/usage_error.hpp"
#include "sources/cudnn_log.hpp"
#include "sources/miopen_command_log.hpp"
#include "supervisor/exit_status.hpp"

namespace convprobe {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPoll = std::chrono::milliseconds(200);
constexpr auto kProgressEvery = std::chrono::seconds(2);
constexpr auto kGraceAfterTerm = std::chrono::seconds(5);
constexpr auto kDrainAfterExit = std::chrono::seconds(2);
constexpr const char* kCudnnLogName = "cudnn-api.log";
constexpr const char* kStderrLogName = "stderr.log";

volatile std::sig_atomic_t g_signal = 0;
extern "C" void remember_signal(int signo) { g_signal = signo; }

/// SIGINT/SIGTERM/SIGHUP are noted (and passed on to the program) instead of ending convprobe, so what the
/// program logged before it was interrupted is still written; the old handlers come back afterwards.
class InterruptGuard {
 public:
  InterruptGuard() {
    g_signal = 0;
    struct sigaction act {};
    act.sa_handler = remember_signal;
    sigemptyset(&act.sa_mask);
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &act, &old_[i]);
  }
  ~InterruptGuard() {
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &old_[i], nullptr);
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  static constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction old_[3]{};
};

/// A file another process appends to: what was added since the last look (nothing while it does not exist).
class GrowingFile {
 public:
  explicit GrowingFile(std::string path) : path_(std::move(path)) {}
  ~GrowingFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  GrowingFile(const GrowingFile&) = delete;
  GrowingFile& operator=(const GrowingFile&) = delete;
  std::string read_new() {
    if (fd_ < 0) fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    std::string out;
    if (fd_ < 0) return out;
    char buf[1 << 16];
    for (ssize_t n; (n = ::read(fd_, buf, sizeof buf)) != 0;) {
      if (n < 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

/// Where the logs go: the user's --keep-logs folder, or a private temporary one removed afterwards.
class LogFolder {
 public:
  explicit LogFolder(const std::string& keep) : path_(keep), temporary_(keep.empty()) {
    if (temporary_) {
      std::string pattern = (std::filesystem::temp_directory_path() / "convprobe-capture-XXXXXX").string();
      if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error(fmt::format("cannot create a temporary folder for the logs: {}", pattern));
      path_ = pattern;
      return;
    }
    std::error_code ec;
    std::filesystem::create_directories(path_, ec);
    if (ec)
      throw UsageError(fmt::format("--keep-logs \"{}\": cannot create the folder: {}", keep, ec.message()));
  }
  ~LogFolder() {
    std::error_code ec;
    if (temporary_) std::filesystem::remove_all(path_, ec);
  }
  LogFolder(const LogFolder&) = delete;
  LogFolder& operator=(const LogFolder&) = delete;
  [[nodiscard]] std::string file(const char* name) const {
    return (std::filesystem::path(path_) / name).string();
  }

 private:
  std::string path_;
  bool temporary_;
};

class ProgramCapture {
 public:
  ProgramCapture(const CaptureOptions& o, const LogFolder& logs)
      : o_(o),
        cudnn_log_path_(logs.file(kCudnnLogName)),
        cudnn_file_(cudnn_log_path_),
        miopen_(o.keep_logs.empty() ? "stderr" : logs.file(kStderrLogName), &result_.tally),
        cudnn_(o.keep_logs.empty() ? kCudnnLogName : cudnn_log_path_, &result_.tally) {
    if (!o.keep_logs.empty()) {
      stderr_copy_ =
          ::open(logs.file(kStderrLogName).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
  }
  ~ProgramCapture() {
    if (stderr_copy_ >= 0) ::close(stderr_copy_);
  }
  ProgramCapture(const ProgramCapture&) = delete;
  ProgramCapture& operator=(const ProgramCapture&) = delete;

  CaptureResult run();

 private:
  std::map<std::string, std::string> logging_environment() const;
  void take_stderr(const std::string& bytes);
  void take_cudnn_log();
  void finish_readers();
  [[nodiscard]] std::string limit_reached(Clock::duration elapsed) const;
  void stop(ChildProgram& child, const std::string& why);
  void show_progress(Clock::duration elapsed, bool force);

  const CaptureOptions& o_;
  std::string cudnn_log_path_;
  GrowingFile cudnn_file_;
  CaptureResult result_;
  sources::MiopenLogReader miopen_;
  sources::CudnnLogReader cudnn_;
  LineSplitter stderr_lines_;
  LineSplitter cudnn_lines_;
  int stderr_copy_ = -1;
  Clock::time_point stop_sent_{};
  Clock::time_point last_progress_{};
  size_t shown_problems_ = 0;
  int64_t shown_runs_ = 0;
};

std::map<std::string, std::string> ProgramCapture::logging_environment() const {
  return {{"MIOPEN_ENABLE_LOGGING_CMD", "1"},
          {"CUDNN_LOGLEVEL_DBG", "3"},
          {"CUDNN_LOGDEST_DBG", cudnn_log_path_}};
}

void write_fully(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n <= 0) return;  // a closed stderr must not stop the capture
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void ProgramCapture::take_stderr(const std::string& bytes) {
  write_fully(STDERR_FILENO, bytes);
  if (stderr_copy_ >= 0) write_fully(stderr_copy_, bytes);
  stderr_lines_.feed(bytes, [&](std::string_view line) { miopen_.feed_line(line); });
}

void ProgramCapture::take_cudnn_log() {
  cudnn_lines_.feed(cudnn_file_.read_new(), [&](std::string_view line) { cudnn_.feed_line(line); });
}

void ProgramCapture::finish_readers() {
  take_cudnn_log();
  stderr_lines_.finish([&](std::string_view line) { miopen_.feed_line(line); });
  cudnn_lines_.finish([&](std::string_view line) { cudnn_.feed_line(line); });
  miopen_.finish();
  cudnn_.finish();
}

/// Why the program should be stopped now, or empty. --steps: every problem that ran has run N times, so the
/// program has done N steps of its loop and no new shape appeared in the last of them.
std::string ProgramCapture::limit_reached(Clock::duration elapsed) const {
  if (o_.max_seconds > 0 && elapsed >= std::chrono::duration<double>(o_.max_seconds))
    return fmt::format("--max-seconds {} reached", o_.max_seconds);
  if (o_.steps <= 0) return {};
  int64_t fewest = -1;
  for (const auto& p : result_.tally.problems())
    if (p.runs > 0 && (fewest < 0 || p.runs < fewest)) fewest = p.runs;
  if (fewest >= o_.steps)
    return fmt::format("--steps {} reached: every problem seen ran {}x or more", o_.steps, fewest);
  return {};
}

/// SIGTERM to the program's group first (a Python program then still flushes its logs); SIGKILL if it is
/// still there after the grace period.
void ProgramCapture::stop(ChildProgram& child, const std::string& why) {
  if (result_.stopped_by.empty()) {
    result_.stopped_by = why;
    stop_sent_ = Clock::now();
    if (!o_.quiet) fmt::print(stderr, "[convprobe capture] stopping the program: {}\n", why);
    child.signal_group(g_signal == SIGINT ? SIGINT : SIGTERM);
    return;
  }
  if (Clock::now() - stop_sent_ >= kGraceAfterTerm) child.signal_group(SIGKILL);
}

void ProgramCapture::show_progress(Clock::duration elapsed, bool force) {
  const auto& t = result_.tally;
  const bool changed = t.problems().size() != shown_problems_ || t.total_runs() != shown_runs_;
  if (o_.quiet || (!force && (!changed || Clock::now() - last_progress_ < kProgressEvery))) return;
  last_progress_ = Clock::now();
  shown_problems_ = t.problems().size();
  shown_runs_ = t.total_runs();
  fmt::print(stderr, "[convprobe capture] {:.0f} s: {} distinct problems, {} runs\n",
             std::chrono::duration<double>(elapsed).count(), shown_problems_, shown_runs_);
}

CaptureResult ProgramCapture::run() {
  ChildProgramSpec spec{o_.command, logging_environment(), o_.output.empty() ? STDERR_FILENO : STDOUT_FILENO};
  std::string err;
  InterruptGuard interrupts;
  const auto started = Clock::now();
  auto child = ChildProgram::start(spec, &err);
  if (!child) throw UsageError(err);
  std::vector<std::string> quoted;
  for (const auto& arg : o_.command) quoted.push_back(shell_quote(arg));
  result_.what_ran = join(quoted, " ");
  Clock::time_point exited{};
  for (;;) {
    take_stderr(child->read_stderr(kPoll));
    take_cudnn_log();
    const auto elapsed = Clock::now() - started;
    show_progress(elapsed, false);
    if (child->try_reap()) {
      if (exited == Clock::time_point{}) exited = Clock::now();
      // A grandchild may still hold stderr open: read what is left for a moment, then stop listening.
      if (!child->stderr_open() || Clock::now() - exited >= kDrainAfterExit) break;
      continue;
    }
    std::string why =
        g_signal != 0 ? fmt::format("convprobe received {}", signal_name(g_signal)) : limit_reached(elapsed);
    if (!why.empty() || !result_.stopped_by.empty()) stop(*child, why);
  }
  finish_readers();
  result_.wait_status = child->wait_status();
  result_.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  show_progress(Clock::now() - started, true);
  return result_;
}

}  // namespace

int run_capture(const CaptureOptions& o) {
  check_capture_options(o);
  if (!o.torch_model.empty()) return finish_capture(o, capture_with_torch_recorder(o));
  LogFolder logs(o.keep_logs);
  ProgramCapture capture(o, logs);
  return finish_capture(o, capture.run());
}

}  // namespace convprobe
