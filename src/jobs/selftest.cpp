#include "jobs/selftest.hpp"

#include <chrono>
#include <optional>
#include <stdexcept>

#include "backends/fault/fault_spec.hpp"
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

Verdict expected_device_fault_verdict(const std::string& candidate_id) {
  if (candidate_id == "fault.gpu_hang") return Verdict::hang;
  if (candidate_id == "fault.gpu_illegal_address") return Verdict::crash;
  if (candidate_id == "fault.gpu_oom") return Verdict::oom;
  return Verdict::failed;
}

namespace {

/// Device faults of a GPU backend on the preset's first problem: fault, canary, fault, canary, ...
void plan_device_faults(Executor& executor, const Problem& problem, const TrialOptions& trial_options,
                        const SelftestOptions& options, SelftestReport* report,
                        std::vector<TrialRequest>* requests) {
  std::vector<Candidate> faults;
  std::optional<Candidate> canary;
  for (const auto& c : executor.candidates(problem, trial_options)) {
    if (c.family == "fault") {
      if (matches_any(options.candidate_patterns, c.id)) faults.push_back(c);
    } else if (!canary && c.family == "legacy") {
      canary = c;  // a legacy algorithm: the plainest candidate a healthy context must run
    }
  }
  if (faults.empty()) {
    throw std::runtime_error(
        "backend '" + options.backend +
        "' listed no device-fault candidates (family 'fault') with CONVPROBE_GPU_FAULTS=1");
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
    add(f, expected_device_fault_verdict(f.id));
    add(*canary, Verdict::pass);
  }
}

/// Every fault candidate of the fault backend over the preset, each expecting what its id says.
void plan_fault_candidates(Executor& executor, const std::vector<Problem>& problems,
                           const TrialOptions& trial_options, const SelftestOptions& options,
                           SelftestReport* report, std::vector<TrialRequest>* requests) {
  for (const auto& problem : problems) {
    for (const auto& c : executor.candidates(problem, trial_options)) {
      if (!matches_any(options.candidate_patterns, c.id)) continue;
      fault::Spec spec;
      std::string err;
      // An id the spec cannot parse must be refused by the backend too.
      const Verdict expected =
          fault::parse_id(c.id, &spec, &err) ? fault::expected_verdict(spec, problem) : Verdict::failed;
      report->trials.push_back(SelftestTrial{problem, c.id, expected, {}});
      requests->push_back(TrialRequest{problem, c, 1});
    }
  }
}

/// --candidates must select some fault candidate before the selftest starts (exit 2, not "0/0 FAILED").
/// The fault backend lists fault::default_ids() on every problem and the selftest runs only listed ids, so
/// this is known without starting a worker. (A GPU backend's device faults are only known from its worker.)
void check_fault_selection(const std::string& patterns, const std::string& preset_name) {
  if (patterns.empty()) return;
  check_fault_ids("--candidates", patterns);
  Preset preset;
  std::string err;
  if (!find_preset(preset_name, -1, &preset, &err)) throw std::runtime_error(err);
  std::vector<Candidate> listed;
  for (const auto& id : fault::default_ids()) listed.push_back(Candidate{id, "fault", "", {}});
  OfferedCandidates offered;
  for (const auto& p : preset.problems) offered.add(key(p), listed, listed);
  check_selection("fault", patterns, "", offered);
}

}  // namespace

void check_selftest_options(const SelftestOptions& options) {
  if (options.backend != "fault" && options.backend != "cudnn") {
    throw UsageError("--backend: '" + options.backend +
                     "' has no fault candidates; selftest supports 'fault' (CPU) and 'cudnn' (GPU faults)");
  }
  if (options.backend == "fault") check_fault_selection(options.candidate_patterns, options.preset);
}

SelftestReport run_selftest(const SelftestOptions& options,
                            const std::function<void(size_t, size_t)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  Preset preset;
  std::string err;
  if (!find_preset(options.preset, -1, &preset, &err)) throw std::runtime_error(err);

  SessionOptions session_options;
  ExecutorOptions& exec = session_options.executor;
  exec.backend = options.backend;
  exec.timeout_floor_ms = options.timeout_floor_ms;
  exec.timeout_cap_ms = options.timeout_cap_ms;
  exec.worker_executable = options.worker_executable;
  // insert_or_assign, not operator[] = "1": GCC 12 gives a false -Wrestrict for the latter at -O3.
  if (options.backend != "fault") exec.env.insert_or_assign("CONVPROBE_GPU_FAULTS", std::string(1, '1'));
  Session session(std::move(session_options));  // supervised: the selftest proves the supervisor
  const TrialOptions trial_options = selftest_trial_options();

  SelftestReport report;
  std::vector<TrialRequest> requests;
  if (options.backend == "fault") {
    plan_fault_candidates(session.executor(), preset.problems, trial_options, options, &report, &requests);
  } else {
    plan_device_faults(session.executor(), preset.problems.front(), trial_options, options, &report,
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
