#include "jobs/sweep.hpp"

#include <fmt/core.h>

#include <chrono>
#include <map>
#include <optional>

#include "jobs/candidate_selection.hpp"
#include "jobs/usage_error.hpp"
#include "policy/policy_file.hpp"
#include "report/document.hpp"
#include "report/time_account.hpp"

namespace convprobe {

namespace {

/// The policy given with --policy, checked against the backend; nullopt without one.
std::optional<Policy> load_sweep_policy(const SweepOptions& o) {
  if (o.policy_path.empty()) return std::nullopt;
  Policy policy;
  std::string err;
  if (!load_policy(o.policy_path, &policy, &err)) throw UsageError(err);
  const std::string& backend = o.session.executor.backend;
  if (policy.backend != backend) {
    throw UsageError(
        fmt::format("--policy {} is for backend '{}', not '{}'", o.policy_path, policy.backend, backend));
  }
  return policy;
}

/// One problem and the candidates --candidates and --policy select on it.
struct SelectedProblem {
  Problem problem;
  std::vector<Candidate> selected;
};

/// Lists every problem's candidates (through a worker: the supervisor never loads a vendor library) and
/// checks the selection over all problems before anything runs or is stored. Listing failures go to
/// outcome->errors; the problems' order to outcome->problem_order.
std::vector<SelectedProblem> select_candidates(Executor& executor, const std::vector<Problem>& problems,
                                               const SweepOptions& o, const std::optional<Policy>& policy,
                                               SweepOutcome* outcome) {
  const std::string& backend = o.session.executor.backend;
  std::vector<SelectedProblem> selection;
  OfferedCandidates offered;
  for (const auto& p : problems) {
    outcome->problem_order.push_back(key(p));
    std::vector<Candidate> listed;
    try {
      listed = executor.candidates(p, o.trial);
    } catch (const std::exception& e) {
      outcome->errors.push_back(fmt::format("{}: cannot list candidates: {}", to_string(p), e.what()));
      continue;
    }
    add_unlisted_candidates(backend, o.candidate_patterns, &listed);
    std::vector<Candidate> allowed = policy ? apply_policy(*policy, listed) : listed;
    offered.add(key(p), listed, allowed);
    SelectedProblem& s = selection.emplace_back(SelectedProblem{p, {}});
    for (auto& c : allowed) {
      if (matches_any(o.candidate_patterns, c.id)) s.selected.push_back(std::move(c));
    }
  }
  check_selection(backend, o.candidate_patterns, o.policy_path, offered);
  return selection;
}

/// The trials to run: every selected candidate, less those --resume finds stored under this fingerprint.
std::vector<TrialRequest> requests_to_run(std::vector<SelectedProblem>& selection, const SweepOptions& o,
                                          Session& session, size_t* skipped_stored) {
  std::vector<TrialRequest> requests;
  for (auto& s : selection) {
    const std::string problem_key = key(s.problem);
    for (auto& c : s.selected) {
      if (o.resume && session.storing() &&
          session.store()->has_trial(session.fingerprint().identity(), problem_key, session.backend(),
                                     c.id)) {
        ++*skipped_stored;
        continue;
      }
      requests.push_back(TrialRequest{s.problem, std::move(c), 1});
    }
  }
  return requests;
}

/// The summary under the table and the fields that close the document.
ReportEnd sweep_end(const SweepOutcome& outcome) {
  const TimeAccount time = account_time(outcome.trials, outcome.wall_s, outcome.startup_s, outcome.listing_s);
  std::map<Verdict, size_t> counts;
  for (const auto& t : outcome.trials) ++counts[t.result.verdict];
  std::string summary =
      fmt::format("{} trial(s) on {} problem(s):", outcome.trials.size(), outcome.problem_order.size());
  for (const auto& [verdict, n] : counts) summary += fmt::format(" {} {}", to_string(verdict), n);
  if (!outcome.db_path.empty())
    summary += fmt::format("; stored in {} (run {})", outcome.db_path, outcome.run_id);
  ReportEnd end;
  end.summary = {summary, "time: " + time_account_text(time)};
  if (outcome.skipped_stored > 0) {
    end.summary.push_back(
        fmt::format("--resume: {} trial(s) already stored were not re-run", outcome.skipped_stored));
  }
  end.errors = outcome.errors;
  end.document = {{"errors", outcome.errors}, {"time", time_account_json(time)}};
  return end;
}

}  // namespace

SweepOutcome run_sweep(const std::vector<Problem>& problems, const SweepOptions& o, Printer& printer) {
  const auto start = std::chrono::steady_clock::now();
  auto seconds_since_start = [&start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  SweepOutcome outcome;
  const std::optional<Policy> policy = load_sweep_policy(o);
  SessionOptions session_options = o.session;
  if (policy) session_options.executor.env.insert(policy->env.begin(), policy->env.end());
  Session session(std::move(session_options));
  outcome.startup_s = seconds_since_start();
  (void)session.fingerprint();  // the run's date is when the backend answered

  std::vector<SelectedProblem> selection =
      select_candidates(session.executor(), problems, o, policy, &outcome);
  // Only a selection that passed its checks opens (and so maybe creates) the database and starts a run.
  if (!o.no_db) session.open_store(o.db_path, o.resume);
  outcome.run_id = session.run_id();
  outcome.db_path = session.db_path();
  const std::vector<TrialRequest> requests = requests_to_run(selection, o, session, &outcome.skipped_stored);
  outcome.listing_s = seconds_since_start();

  printer.begin(ReportBegin{
      document_header(session.fingerprint(), outcome.run_id), outcome.problem_order, {session.backend()}});
  session.run(
      requests, o.trial,
      [&](const ReportedTrial& t) {
        printer.trial(t);
        outcome.trials.push_back(t);
      },
      Progress::choose_mode(o.quiet));
  outcome.wall_s = seconds_since_start();
  printer.end(sweep_end(outcome));
  return outcome;
}

}  // namespace convprobe
