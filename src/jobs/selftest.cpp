#include "jobs/selftest.hpp"

#include <fmt/core.h>

#include <chrono>
#include <optional>
#include <stdexcept>

#include "exec/backend_registry.hpp"
#include "jobs/candidate_selection.hpp"
#include "jobs/session.hpp"
#include "jobs/usage_error.hpp"
#include "problem/presets.hpp"

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

/// --candidates must select some fault candidate before the selftest starts (exit 2, not "0/0 FAILED").
/// When the backend's traits know the ids it lists on every problem (the fault backend's) and the selftest
/// runs only listed ids, this is known without starting a worker. (A GPU backend's device faults are only
/// known from its worker.)
void check_listed_selection(const std::string& backend, const std::string& patterns,
                            const std::string& preset_name) {
  const auto& plan = backend_traits(backend).selftest;
  if (patterns.empty() || !plan || plan->listed_ids == nullptr) return;
  check_unlisted_ids(backend, "--candidates", patterns);
  Preset preset;
  std::string err;
  if (!find_preset(preset_name, -1, &preset, &err)) throw std::runtime_error(err);
  std::vector<Candidate> listed;
  for (const auto& id : plan->listed_ids()) listed.push_back(Candidate{id, "", "", {}});
  OfferedCandidates offered;
  for (const auto& p : preset.problems) offered.add(key(p), listed, listed);
  check_selection(backend, patterns, "", offered);
}

}  // namespace

std::string selftest_backends(bool long_form) {
  std::string text;
  for (const auto& name : known_backends()) {
    const auto& plan = backend_traits(name).selftest;
    if (!plan) continue;
    if (!text.empty()) text += long_form ? " or " : " and ";
    text += fmt::format("'{}' ({})", name, long_form ? plan->what : plan->in_short);
  }
  return text;
}

std::string default_selftest_backend() {
  for (const auto& name : known_backends()) {
    const auto& plan = backend_traits(name).selftest;
    if (plan && plan->kind == SelftestPlan::Kind::every_candidate) return name;
  }
  return {};
}

void check_selftest_options(const SelftestOptions& options) {
  if (!backend_traits(options.backend).selftest) {
    throw UsageError("--backend: '" + options.backend + "' has no fault candidates; selftest supports " +
                     selftest_backends(false));
  }
  check_listed_selection(options.backend, options.candidate_patterns, options.preset);
}

SelftestReport run_selftest(const SelftestOptions& options,
                            const std::function<void(size_t, size_t)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  Preset preset;
  std::string err;
  if (!find_preset(options.preset, -1, &preset, &err)) throw std::runtime_error(err);

  const auto& plan = backend_traits(options.backend).selftest;
  if (!plan) throw std::runtime_error("backend '" + options.backend + "' has no selftest plan");
  const bool device_faults = plan->kind == SelftestPlan::Kind::device_faults;

  SessionOptions session_options;
  ExecutorOptions& exec = session_options.executor;
  exec.backend = options.backend;
  exec.timeout_floor_ms = options.timeout_floor_ms;
  exec.timeout_cap_ms = options.timeout_cap_ms;
  exec.worker_executable = options.worker_executable;
  exec.env = plan->worker_env;
  Session session(std::move(session_options));  // supervised: the selftest proves the supervisor
  const TrialOptions trial_options = selftest_trial_options();

  SelftestReport report;
  std::vector<TrialRequest> requests;
  if (device_faults) {
    plan_device_faults(session.executor(), preset.problems.front(), trial_options, options, *plan, &report,
                       &requests);
  } else {
    plan_every_candidate(session.executor(), preset.problems, trial_options, options, *plan, &report,
                         &requests);
  }
  size_t done = 0;
  session.executor().run(requests, trial_options,
                         [&](const TrialRequest& request, const TrialResult& result) {
                           // Requests and trials share their index; find it by identity (problem key +
                           // candidate id), in order.
                           for (auto& t : report.trials) {
                             if (t.result.verdict == Verdict::untested &&
                                 t.candidate == request.candidate.id && t.problem == request.problem) {
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
