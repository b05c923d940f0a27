// How the CLI runs trials without knowing where: in this process (--in-process) or in supervised worker
// processes (the default). Both run a plan of (problem, candidate) requests and report each result once.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "convprobe/backend.hpp"

namespace convprobe {

struct TrialRequest {
  Problem problem;
  Candidate candidate;
  int attempt = 1;
};

struct ExecutorOptions {
  std::string backend;
  std::vector<int> devices{0};  ///< one worker (+ standby) per device; problems are split across them
  bool in_process = false;
  double timeout_floor_ms = 2000;  ///< watchdog deadline never below this
  double timeout_cap_ms = 600000;  ///< --timeout-ms: never above this
  int retries = 0;                 ///< explicit re-runs of a trial whose worker died (each attempt recorded)
  /// Extra environment for workers (policy env vars such as MIOPEN_DEBUG_CONV_GEMM=0,
  /// CUDNN_ERRATA_JSON_FILE).
  std::map<std::string, std::string> env;
  /// The program started as `<worker_executable> worker --backend NAME --device N`. Empty: this program
  /// (self_executable()). Tests and benchmarks, which are other programs, point it at the convprobe binary.
  std::string worker_executable;
};

/// Thrown by run() when the user interrupted it (SIGINT, SIGTERM, SIGHUP): every worker has been killed and
/// every trial finished before the signal has been reported. The CLI exits 128 + signal.
class Interrupted : public std::runtime_error {
 public:
  Interrupted(int signo, const std::string& what) : std::runtime_error(what), signo_(signo) {}
  [[nodiscard]] int signal_number() const { return signo_; }

 private:
  int signo_;
};

/// Called once per finished trial (on the caller's thread), in completion order.
using ResultCallback = std::function<void(const TrialRequest&, const TrialResult&)>;
/// Called when a trial starts (for progress lines).
using StartCallback = std::function<void(const TrialRequest&)>;

class Executor {
 public:
  virtual ~Executor() = default;
  /// Backend version, devices, availability (never throws; unavailable is a state).
  virtual BackendInfo info() = 0;
  /// Candidates for a problem. Throws std::runtime_error if the backend is unavailable or enumeration fails.
  virtual std::vector<Candidate> candidates(const Problem& problem, const TrialOptions& options) = 0;
  /// Run every request. Requests of one problem stay together on one device (the reference is computed once
  /// per problem). Every request gets exactly one callback per attempt.
  virtual void run(const std::vector<TrialRequest>& requests, const TrialOptions& options,
                   const ResultCallback& on_result, const StartCallback& on_start = {}) = 0;
};

/// Loads the backend plugin in this process. The supervised executor is src/supervisor/'s
/// make_supervised_executor; jobs/executor_factory.hpp chooses between them.
[[nodiscard]] std::unique_ptr<Executor> make_in_process_executor(const ExecutorOptions& options);

}  // namespace convprobe
