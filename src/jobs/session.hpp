// What every job that runs trials starts with (sweep and run, bisect, verify, selftest, candidates): the
// backend's executor, answering (the one "backend X is unavailable" message is here); its devices, with
// `--devices all` resolved once, here; the run's fingerprint; and, for jobs that store trials, the results
// database and the run id. Trials go through record() or run(), which commit each result before anything
// else sees it: a kill -9 right after loses nothing finished.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exec/executor.hpp"
#include "report/progress.hpp"
#include "report/trial_report.hpp"
#include "store/store.hpp"

namespace convprobe {

struct SessionOptions {
  ExecutorOptions executor;    ///< backend, watchdog, env, in_process; `devices` unless all_devices
  bool all_devices = false;    ///< --devices all: every device the backend reports
  bool check_devices = false;  ///< the command has --devices: an index the backend lacks is a UsageError
  std::string command_line;    ///< recorded in the run's fingerprint
};

/// Called once per finished trial, after it was committed.
using TrialCallback = std::function<void(const ReportedTrial&)>;

class Session {
 public:
  /// Starts the backend's executor (in this process or supervised workers, by executor.in_process) and asks
  /// it for its info. Throws std::runtime_error "backend NAME is unavailable: REASON", or UsageError for a
  /// --devices index the backend does not have.
  explicit Session(SessionOptions options);

  [[nodiscard]] Executor& executor() { return *executor_; }
  [[nodiscard]] const BackendInfo& info() const { return info_; }
  [[nodiscard]] const std::string& backend() const { return options_.executor.backend; }
  /// The devices trials run on (`--devices all` resolved).
  [[nodiscard]] const std::vector<int>& devices() const { return options_.executor.devices; }
  /// This run's fingerprint, made on first use.
  [[nodiscard]] const Fingerprint& fingerprint();

  /// Opens the results database by the writing rule (store/results_db.hpp) and begins a run; `resume`
  /// continues a run with the same fingerprint. Without it, nothing is stored.
  void open_store(const std::string& db_path, bool resume);
  [[nodiscard]] bool storing() const { return store_ != nullptr; }
  [[nodiscard]] Store* store() const { return store_.get(); }
  [[nodiscard]] int64_t run_id() const { return run_id_; }               ///< -1 when not storing
  [[nodiscard]] const std::string& db_path() const { return db_path_; }  ///< empty when not storing

  /// A trial that finished without running (or ran elsewhere): committed, and returned as reports show it.
  ReportedTrial record(const Problem& problem, const Candidate& candidate, const TrialResult& result);
  /// Runs every request; each result is committed, counted on the progress line, then given to on_trial.
  void run(const std::vector<TrialRequest>& requests, const TrialOptions& options,
           const TrialCallback& on_trial, Progress::Mode progress = Progress::Mode::quiet);

 private:
  void resolve_devices();
  SessionOptions options_;
  std::unique_ptr<Executor> executor_;
  BackendInfo info_;
  std::optional<Fingerprint> fingerprint_;
  std::unique_ptr<Store> store_;
  int64_t run_id_ = -1;
  std::string db_path_;
};

}  // namespace convprobe
