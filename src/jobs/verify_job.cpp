#include "jobs/verify_job.hpp"

#include <fmt/core.h>

#include <filesystem>

#include "jobs/usage_error.hpp"
#include "jobs/verify_output.hpp"
#include "store/results_db.hpp"

namespace convprobe {

namespace {

/// The policy's backend, or -b's when given; they must agree.
std::string verified_backend(const VerifyJobOptions& o, const PolicySource& source) {
  const std::string& given = o.session.executor.backend;
  std::string backend = given.empty() ? source.backend : given;
  if (backend.empty())
    throw UsageError(fmt::format("cannot tell which backend '{}' is for; give -b", o.policy_path));
  if (source.policy && source.policy->backend != backend) {
    throw UsageError(
        fmt::format("the policy is for backend '{}', not '{}'", source.policy->backend, backend));
  }
  return backend;
}

/// The verdicts before the policy. A database named with --db must exist; the default one may be missing,
/// because a convprobe policy names its own problems (problems_to_verify says so when that is not enough).
std::vector<StoredTrial> stored_trials(const std::string& db_path, const std::string& backend) {
  const DbLocation where = locate_results_db(db_path);
  if (where.source != DbLocation::Source::option && !std::filesystem::exists(where.path)) return {};
  TrialFilter filter;
  filter.backend = backend;
  return open_results_for_reading(db_path)->trials(filter);
}

/// The problems behind the policy, from the policy itself or the stored verdicts.
std::vector<Problem> problems_to_verify(const std::string& db_path, const PolicySource& source,
                                        const std::string& backend, const std::vector<StoredTrial>& trials) {
  std::vector<Problem> problems;
  std::string err;
  for (const auto& k : problems_behind(source, backend, trials)) {
    Problem p;
    if (!parse_problem(k, &p, &err)) throw std::runtime_error(fmt::format("stored problem '{}': {}", k, err));
    problems.push_back(p);
  }
  if (!problems.empty()) return problems;
  const DbLocation where = locate_results_db(db_path);
  // Nothing to verify because the database is not there: the reading commands' one message for that.
  if (!std::filesystem::exists(where.path)) throw DbLocationError(missing_results_db_message(where));
  throw UsageError(
      fmt::format("no problems to verify: neither the policy nor database '{}' names any {} problem",
                  where.path, backend));
}

/// Re-runs the problems in fresh workers started with the policy's environment.
VerifyReport verify_in_session(const VerifyJobOptions& o, const VerifyOutcome& v,
                               const std::vector<StoredTrial>& trials, const VerifyPrinter& printer) {
  SessionOptions session_options = o.session;
  session_options.executor.backend = v.backend;
  // Always a fresh worker: the policy's env must be in place before the library loads.
  session_options.executor.in_process = false;
  session_options.executor.env = v.source.env;
  for (const auto& [name, value] : v.source.verify_env) session_options.executor.env[name] = value;
  Session session(std::move(session_options));
  printer.start(v.source, v.backend, v.problems.size());
  VerifySettings settings;
  settings.all_candidates = o.all_candidates;
  settings.trial = o.trial;
  settings.on_problem = [&printer](const VerifiedProblem& p) { printer.problem(p); };
  return run_verify(v.source, v.backend, trials, v.problems, session.executor(), settings);
}

}  // namespace

VerifyOutcome run_verify_job(const VerifyJobOptions& o, const VerifyPrinter& printer) {
  if (!o.framework.empty() && o.framework != "torch") {
    throw UsageError(fmt::format("--framework '{}' is not supported; expected torch", o.framework));
  }
  VerifyOutcome v;
  std::string err;
  if (!read_policy_source(o.policy_path, &v.source, &err)) throw UsageError(err);
  v.backend = verified_backend(o, v.source);
  const std::vector<StoredTrial> trials = stored_trials(o.db_path, v.backend);
  v.problems = problems_to_verify(o.db_path, v.source, v.backend, trials);

  v.report = verify_in_session(o, v, trials, printer);
  printer.errors(v.report.errors);
  v.ok = v.report.ok();
  if (o.framework == "torch") {
    v.torch = run_torch_check(v.problems, v.source.env);
    printer.torch(*v.torch);
    if (v.torch->ran) v.ok = v.ok && v.torch->ok;
  }
  printer.end(v);
  return v;
}

}  // namespace convprobe
