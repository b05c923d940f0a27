#include "jobs/verify_finddb.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "base/text.hpp"
#include "vendor/miopen_finddb.hpp"

namespace convprobe {

namespace {

/// The stored verdict of the record's solver on this problem, under whatever id the sweep listed it.
std::optional<Verdict> stored_verdict_of(const std::string& solver,
                                         const std::map<std::string, Verdict>& before) {
  for (const auto& [id, v] : before) {
    if (solver_name_of(id) == solver) return v;
  }
  return std::nullopt;
}

/// Issues of one mode's result against the record; empty when MIOpen used the record's solver and it passed.
std::vector<std::string> mode_issues(const VerifiedCandidate& c, const std::vector<std::string>& written) {
  const std::string mode = c.id.substr(c.id.rfind('.') + 1);
  std::vector<std::string> issues;
  const auto& picked = c.after.picked;
  if (!picked.empty() && solver_name_of(picked.front()) != written.front()) {
    issues.push_back(fmt::format("{} mode picked {}, the record names {}", mode,
                                 solver_name_of(picked.front()), written.front()));
  }
  for (const auto& offered : picked) {
    const std::string name = solver_name_of(offered);
    if (std::find(written.begin(), written.end(), name) == written.end()) {
      issues.push_back(
          fmt::format("{} mode offered {}, which the record does not name: MIOpen did not "
                      "answer from the record",
                      mode, name));
      break;
    }
  }
  if (c.after.verdict != Verdict::pass) {
    issues.push_back(fmt::format("{} mode: {} {}", mode, to_string(c.after.verdict), c.after.detail));
  }
  return issues;
}

FindDbExpectation expectation_for(const PolicySource& source, const Problem& problem) {
  FindDbExpectation want;
  std::string why;
  if (auto k = miopen::finddb_key(problem, &why)) {
    want.key = *k;
    if (auto it = source.finddb_solvers.find(*k); it != source.finddb_solvers.end())
      want.written = it->second;
  } else {
    want.why_no_key = why;
  }
  return want;
}

/// The backend's framework candidates that only read the find-db (immediate, find), each run in a fresh
/// worker of its own (their worker_env).
std::vector<VerifiedCandidate> run_framework_candidates(const Problem& problem, const FindDbExpectation& want,
                                                        const std::map<std::string, Verdict>& before,
                                                        Executor& executor, const VerifySettings& settings) {
  std::vector<TrialRequest> requests;
  for (const auto& c : executor.candidates(problem, settings.trial)) {
    const auto listing = c.attrs.find("listing");
    const auto mode = c.attrs.find("mode");
    if (listing == c.attrs.end() || listing->second != "framework" || mode == c.attrs.end()) continue;
    if (mode->second == "immediate" || mode->second == "find")
      requests.push_back(TrialRequest{problem, c, 1});
  }
  std::vector<VerifiedCandidate> after;
  const auto stored = stored_verdict_of(want.written.front(), before);
  executor.run(requests, settings.trial, [&](const TrialRequest& req, const TrialResult& r) {
    after.push_back(VerifiedCandidate{req.candidate.id, stored, r});
  });
  return after;
}

}  // namespace

std::string solver_name_of(const std::string& candidate_id) {
  const auto first = candidate_id.find('.');
  const auto second = first == std::string::npos ? first : candidate_id.find('.', first + 1);
  return second == std::string::npos ? candidate_id : candidate_id.substr(second + 1);
}

VerifiedProblem judge_finddb_problem(const std::string& problem, const FindDbExpectation& want,
                                     const std::map<std::string, Verdict>& before,
                                     const std::vector<VerifiedCandidate>& after) {
  VerifiedProblem out;
  out.problem = problem;
  out.candidates = after;
  for (const auto& [id, v] : before) out.before_pass += v == Verdict::pass;
  if (want.key.empty()) {
    out.notes.push_back("MIOpen cannot be given this problem (" + want.why_no_key + "): no record possible");
    return out;
  }
  if (want.written.empty()) {
    out.issues.push_back(
        fmt::format("no record for {} in the find-db: MIOpen searches this shape itself", want.key));
    return out;
  }
  out.written = want.written.front();
  if (after.empty())
    out.issues.push_back("the backend offered no framework candidate to check MIOpen's pick");
  for (const auto& c : after) {
    out.after_pass += c.after.verdict == Verdict::pass;
    auto issues = mode_issues(c, want.written);
    if (issues.empty()) {
      out.notes.push_back(
          fmt::format("{} mode picked {}: PASS", c.id.substr(c.id.rfind('.') + 1), out.written));
    }
    out.issues.insert(out.issues.end(), issues.begin(), issues.end());
  }
  return out;
}

VerifyReport run_verify_finddb(const PolicySource& source, const std::string& backend,
                               const std::vector<StoredTrial>& trials, const std::vector<Problem>& problems,
                               Executor& executor, const VerifySettings& settings) {
  VerifyReport report;
  const auto before_all = latest_verdicts(backend, trials);
  for (const auto& problem : problems) {
    const std::string k = key(problem);
    const auto bit = before_all.find(k);
    const auto before = bit == before_all.end() ? std::map<std::string, Verdict>{} : bit->second;
    const FindDbExpectation want = expectation_for(source, problem);
    std::vector<VerifiedCandidate> after;
    const std::string file_before = file_bytes(source.path);
    if (!want.written.empty()) {
      try {
        after = run_framework_candidates(problem, want, before, executor, settings);
      } catch (const std::exception& e) {
        report.errors.push_back(fmt::format("{}: cannot list candidates: {}", k, e.what()));
        continue;
      }
    }
    VerifiedProblem judged = judge_finddb_problem(k, want, before, after);
    if (file_bytes(source.path) != file_before) {
      judged.issues.push_back(
          fmt::format("MIOpen changed {} while this problem ran: it searched and wrote a "
                      "record instead of reading one",
                      source.path));
    }
    if (settings.on_problem) settings.on_problem(judged);
    report.problems.push_back(std::move(judged));
  }
  return report;
}

}  // namespace convprobe
