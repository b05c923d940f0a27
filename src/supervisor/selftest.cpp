#include "supervisor/selftest.hpp"

#include <chrono>
#include <stdexcept>

#include "backends/fault/fault_spec.hpp"
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

SelftestReport run_selftest(const SelftestOptions& options,
                            const std::function<void(size_t, size_t)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  Preset preset;
  std::string err;
  if (!find_preset(options.preset, -1, &preset, &err)) throw std::runtime_error(err);

  ExecutorOptions exec;
  exec.backend = "fault";
  exec.timeout_floor_ms = options.timeout_floor_ms;
  exec.timeout_cap_ms = options.timeout_cap_ms;
  exec.worker_executable = options.worker_executable;
  auto executor = make_supervised_executor(exec);
  const TrialOptions trial_options = selftest_trial_options();

  SelftestReport report;
  std::vector<TrialRequest> requests;
  for (const auto& problem : preset.problems) {
    for (const auto& c : executor->candidates(problem, trial_options)) {
      if (!matches_any(options.candidate_patterns, c.id)) continue;
      fault::Spec spec;
      SelftestTrial t;
      t.problem = problem;
      t.candidate = c.id;
      // An id the spec cannot parse must be refused by the backend too.
      t.expected =
          fault::parse_id(c.id, &spec, &err) ? fault::expected_verdict(spec, problem) : Verdict::failed;
      report.trials.push_back(std::move(t));
      requests.push_back(TrialRequest{problem, c, 1});
    }
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
