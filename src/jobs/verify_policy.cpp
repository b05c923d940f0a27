#include "jobs/verify_policy.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "jobs/verify_finddb.hpp"
#include "policy/emit_miopen_finddb.hpp"
#include "policy/policy_file.hpp"
#include "vendor/onednn_isa.hpp"

namespace convprobe {

bool VerifyReport::ok() const {
  return errors.empty() &&
         std::all_of(problems.begin(), problems.end(), [](const auto& p) { return p.ok(); });
}

namespace {

/// onednn-env: the cap the profile sets, checked against the documented values.
std::string onednn_cap_of(const PolicySource& source, std::vector<std::string>* errors) {
  for (const char* name : {"ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"}) {  // ONEDNN_ wins, as in oneDNN
    const auto it = source.env.find(name);
    if (it == source.env.end()) continue;
    std::string cap;
    if (!onednn_documented_isa(it->second, &cap)) {
      errors->push_back(
          fmt::format("{}='{}' is not a documented value: oneDNN silently ignores it", name, it->second));
      return {};
    }
    return cap;
  }
  return {};
}

}  // namespace

VerifyReport run_verify(const PolicySource& source, const std::string& backend,
                        const std::vector<StoredTrial>& trials, const std::vector<Problem>& problems,
                        Executor& executor, const VerifySettings& settings) {
  if (source.format == kMiopenFindDbEmitter)
    return run_verify_finddb(source, backend, trials, problems, executor, settings);
  VerifyReport report;
  if (backend == "onednn") report.onednn_cap = onednn_cap_of(source, &report.errors);
  const auto before_all = latest_verdicts(backend, trials);
  std::set<std::string> blocked_ids;
  if (source.policy) {
    for (const auto& b : source.policy->blocked) blocked_ids.insert(b.candidate.id);
  }

  for (const auto& problem : problems) {
    const std::string k = key(problem);
    const auto bit = before_all.find(k);
    const std::map<std::string, Verdict> before =
        bit == before_all.end() ? std::map<std::string, Verdict>{} : bit->second;
    std::vector<Candidate> listed;
    try {
      listed = executor.candidates(problem, settings.trial);
    } catch (const std::exception& e) {
      report.errors.push_back(fmt::format("{}: cannot list candidates: {}", k, e.what()));
      continue;
    }
    std::vector<std::string> cap_violations;
    if (!report.onednn_cap.empty()) {
      for (const auto& c : listed) {
        const auto isa = onednn_impl_isa(c.id);
        if (isa && !onednn_isa_allowed(*isa, report.onednn_cap)) cap_violations.push_back(c.id);
      }
    }
    if (source.policy) listed = apply_policy(*source.policy, listed);
    if (!settings.all_candidates && !before.empty()) {
      std::erase_if(listed, [&](const Candidate& c) { return before.count(c.id) == 0; });
    }

    std::vector<TrialRequest> requests;
    for (const auto& c : listed) requests.push_back(TrialRequest{problem, c, 1});
    std::map<std::string, TrialResult> results;
    executor.run(requests, settings.trial,
                 [&](const TrialRequest& req, const TrialResult& r) { results[req.candidate.id] = r; });
    std::vector<VerifiedCandidate> after;
    for (const auto& c : listed) {
      VerifiedCandidate vc;
      vc.id = c.id;
      if (const auto b = before.find(c.id); b != before.end()) vc.before = b->second;
      vc.after = results[c.id];
      after.push_back(std::move(vc));
    }
    VerifiedProblem judged = judge_problem(k, before, after, blocked_ids);
    for (const auto& id : cap_violations) {
      judged.issues.push_back(fmt::format("ONEDNN_MAX_CPU_ISA={} did not take effect: {} is still offered",
                                          report.onednn_cap, id));
    }
    if (settings.on_problem) settings.on_problem(judged);
    report.problems.push_back(std::move(judged));
  }
  return report;
}

}  // namespace convprobe
