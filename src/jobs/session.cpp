#include "jobs/session.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <stdexcept>

#include "jobs/executor_factory.hpp"
#include "jobs/usage_error.hpp"
#include "store/fingerprint.hpp"
#include "store/results_db.hpp"

namespace convprobe {

Session::Session(SessionOptions options) : options_(std::move(options)) {
  if (options_.all_devices) options_.executor.devices = {0};
  executor_ = make_executor(options_.executor);
  info_ = executor_->info();
  if (!info_.available) {
    throw std::runtime_error(
        fmt::format("backend {} is unavailable: {}", options_.executor.backend, info_.reason));
  }
  resolve_devices();
}

void Session::resolve_devices() {
  // Only the first device's worker was started to ask: with several devices, start one per device.
  if (options_.all_devices && info_.devices.size() > 1) {
    options_.executor.devices.clear();
    for (const auto& d : info_.devices) options_.executor.devices.push_back(d.index);
    executor_ = make_executor(options_.executor);
  }
  if (!options_.check_devices) return;
  for (int d : options_.executor.devices) {
    const bool known = std::any_of(info_.devices.begin(), info_.devices.end(),
                                   [d](const DeviceInfo& x) { return x.index == d; });
    if (!known) {
      throw UsageError(fmt::format("--devices: backend {} has no device {} ({} device(s))", backend(), d,
                                   info_.devices.size()));
    }
  }
}

const Fingerprint& Session::fingerprint() {
  if (!fingerprint_) fingerprint_ = make_fingerprint(info_, devices(), options_.command_line);
  return *fingerprint_;
}

void Session::open_store(const std::string& db_path, bool resume) {
  store_ = open_results_for_writing(db_path);
  run_id_ = store_->begin_run(fingerprint(), resume);
  db_path_ = locate_results_db(db_path).path;
}

ReportedTrial Session::record(const Problem& problem, const Candidate& candidate, const TrialResult& result) {
  ReportedTrial t{problem, backend(), candidate, result, repro_command(problem, backend(), candidate), {}};
  if (store_) store_->add_trial(run_id_, problem, backend(), candidate, result, t.repro);
  return t;
}

void Session::run(const std::vector<TrialRequest>& requests, const TrialOptions& options,
                  const TrialCallback& on_trial, Progress::Mode progress) {
  Progress line(progress, requests.size());
  executor_->run(
      requests, options,
      [&](const TrialRequest& req, const TrialResult& result) {
        // Commit before anything else.
        const ReportedTrial t = record(req.problem, req.candidate, result);
        line.finished(result.verdict);
        if (on_trial) on_trial(t);
      },
      [&](const TrialRequest& req) { line.started(to_string(req.problem), req.candidate.id); });
  line.done();
}

}  // namespace convprobe
