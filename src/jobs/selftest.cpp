#include "jobs/selftest.hpp"

#include <chrono>
#include <optional>
#include <stdexcept>

#include "exec/backend_registry.hpp"
#include "problem/presets.hpp"
#include "supervisor/worker_env.hpp"

namespace convprobe {

bool SelftestReport::all_match() const {
  if (trials.empty()) return false;
  for (const auto& t : trials) {
    if (!t.matches()) return false;
  }
  return true;
}

TrialOptions selftest_trial_options() {
  TrialOptions o;
  o.warmup = 0;
  o.repeats = 2;
  o.full_verify_max_macs = 1.0e7;
  return o;
}

namespace {

/// "CONVPROBE_GPU_FAULTS=1" (what the plan starts its workers with).
std::string env_text(const std::map<std::string, std::string>& env) {
  std::string text;
  for (const auto& [name, value] : env) {
    if (!text.empty()) text += ' ';
    text += name;
    text += '=';
    text += value;
  }
  return text;
}

/// Device faults of a GPU backend on the preset's first problem: canary, fault, canary, fault, canary, ...
void plan_device_faults(Executor& executor, const Problem& problem, const TrialOptions& trial_options,
                        const SelftestOptions& options, const SelftestPlan& plan, SelftestReport* report,
                        std::vector<TrialRequest>* requests) {
  std::vector<Candidate> faults;
  std::optional<Candidate> canary;
  for (const auto& c : executor.candidates(problem, trial_options)) {
    if (c.family == "fault") {
      if (matches_any(options.candidate_patterns, c.id)) faults.push_back(c);
    } else if (!canary && c.family == plan.canary_family) {
      canary = c;
    }
  }
  if (faults.empty()) {
    throw std::runtime_error("backend '" + options.backend +
                             "' listed no device-fault candidates (family 'fault') with " +
                             env_text(plan.worker_env));
  }
  if (!canary)
    throw std::runtime_error("backend '" + options.backend +
                             "' listed no healthy candidate to use as canary");
  auto add = [&](const Candidate& c, Verdict expected) {
    report->trials.push_back(SelftestTrial{problem, c.id, expected, {}});
    requests->push_back(TrialRequest{problem, c, 1});
  };
  add(*canary, Verdict::pass);
  for (const auto& f : faults) {
    add(f, plan.expected(problem, f.id));
    add(*canary, Verdict::pass);
  }
}

/// Every listed candidate over the preset, each expecting what the backend's plan says (the fault backend:
/// what its id says).
void plan_every_candidate(Executor& executor, const std::vector<Problem>& problems,
                          const TrialOptions& trial_options, const SelftestOptions& options,
                          const SelftestPlan& plan, SelftestReport* report,
                          std::vector<TrialRequest>* requests) {
  for (const auto& problem : problems) {
    for (const auto& c : executor.candidates(problem, trial_options)) {
      if (!matches_any(options.candidate_patterns, c.id)) continue;
      report->trials.push_back(SelftestTrial{problem, c.id, plan.expected(problem, c.id), {}});
      requests->push_back(TrialRequest{problem, c, 1});
    }
  }
}

}  // namespace

SelftestReport run_selftest(const SelftestOptions& options,
                            const std::function<void(size_t, size_t)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  Preset preset;
  std::string err;
  if (!find_preset(options.preset, -1, &preset, &err)) throw std::runtime_error(err);

  const auto& plan = backend_traits(options.backend).selftest;
  if (!plan) throw std::runtime_error("backend '" + options.backend + "' has no selftest plan");
  const bool device_faults = plan->kind == SelftestPlan::Kind::device_faults;

  ExecutorOptions exec;
  exec.backend = options.backend;
  exec.timeout_floor_ms = options.timeout_floor_ms;
  exec.timeout_cap_ms = options.timeout_cap_ms;
  exec.worker_executable = options.worker_executable;
  exec.env = plan->worker_env;
  auto executor = make_supervised_executor(exec);
  if (device_faults) {
    const BackendInfo info = executor->info();
    if (!info.available)
      throw std::runtime_error("backend " + options.backend + " is unavailable: " + info.reason);
  }
  const TrialOptions trial_options = selftest_trial_options();

  SelftestReport report;
  std::vector<TrialRequest> requests;
  if (device_faults) {
    plan_device_faults(*executor, preset.problems.front(), trial_options, options, *plan, &report, &requests);
  } else {
    plan_every_candidate(*executor, preset.problems, trial_options, options, *plan, &report, &requests);
  }
  size_t done = 0;
  executor->run(requests, trial_options, [&](const TrialRequest& request, const TrialResult& result) {
    // Requests and trials share their index; find it by identity (problem key + candidate id), in order.
    for (auto& t : report.trials) {
      if (t.result.verdict == Verdict::untested && t.candidate == request.candidate.id &&
          t.problem == request.problem) {
        t.result = result;
        break;
      }
    }
    if (progress) progress(++done, requests.size());
  });
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace convprobe
