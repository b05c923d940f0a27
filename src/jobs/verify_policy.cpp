#include "jobs/verify_policy.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "policy/policy_file.hpp"
#include "vendor/onednn_isa.hpp"

namespace convprobe {

VerifiedProblem judge_problem(const std::string& problem, const std::map<std::string, Verdict>& before,
                              const std::vector<VerifiedCandidate>& after,
                              const std::set<std::string>& blocked_ids) {
  VerifiedProblem out;
  out.problem = problem;
  out.candidates = after;
  for (const auto& [id, v] : before) {
    if (v == Verdict::pass) ++out.before_pass;
    const bool still_there =
        std::any_of(after.begin(), after.end(), [&](const VerifiedCandidate& c) { return c.id == id; });
    if (!still_there) out.removed.push_back(id);
  }
  for (const auto& c : after) {
    const Verdict v = c.after.verdict;
    if (v == Verdict::pass) ++out.after_pass;
    const bool blocked = blocked_ids.count(c.id) > 0;
    const bool failed_before = c.before && is_failure(*c.before);
    if (is_failure(v)) {
      out.issues.push_back(fmt::format("{} {}: {} {}",
                                       failed_before || blocked ? "still failing" : "new failure", c.id,
                                       to_string(v), c.after.detail));
    } else if (blocked || failed_before) {
      out.notes.push_back(fmt::format("{} was not removed by the policy (now {})", c.id, to_string(v)));
    }
  }
  if (after.empty() && !before.empty())
    out.notes.push_back("no candidate left to run: the policy removed every one");
  if (out.before_pass > 0 && out.after_pass == 0) {
    out.issues.push_back(fmt::format("lost all passing candidates ({} passed before)", out.before_pass));
  }
  return out;
}

std::map<std::string, std::map<std::string, Verdict>> latest_verdicts(
    const std::string& backend, const std::vector<StoredTrial>& trials) {
  std::map<std::string, std::map<std::string, std::pair<int64_t, Verdict>>> latest;
  for (const auto& t : trials) {
    if (t.backend != backend) continue;
    auto& slot = latest[t.problem][t.candidate.id];
    if (t.id >= slot.first) slot = {t.id, t.result.verdict};
  }
  std::map<std::string, std::map<std::string, Verdict>> out;
  for (const auto& [problem, by_candidate] : latest) {
    for (const auto& [id, v] : by_candidate) out[problem][id] = v.second;
  }
  return out;
}

std::vector<std::string> problems_behind(const PolicySource& source, const std::string& backend,
                                         const std::vector<StoredTrial>& trials) {
  std::set<std::string> problems;
  if (source.policy) {
    for (const auto& b : source.policy->blocked) {
      for (const auto& e : b.evidence) problems.insert(e.problem);
    }
    for (const auto& p : source.policy->preferred) problems.insert(p.problem);
  }
  // A policy that acts on every shape (an errata file) may block configs that are only slow: every stored
  // problem of the backend is behind it, not only those with a failure.
  if (problems.empty() && !source.every_shape) {
    for (const auto& t : trials) {
      if (t.backend == backend && is_failure(t.result.verdict)) problems.insert(t.problem);
    }
  }
  if (problems.empty()) {
    for (const auto& t : trials) {
      if (t.backend == backend) problems.insert(t.problem);
    }
  }
  return {problems.begin(), problems.end()};
}

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
