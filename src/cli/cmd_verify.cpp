// `convprobe verify --policy FILE`: re-run the problems behind a policy in a fresh worker with the policy
// applied, compare with the stored verdicts, optionally check PyTorch with the policy in its environment.
#include <fmt/core.h>

#include <filesystem>
#include <memory>

#include "cli/cli.hpp"
#include "cli/trial_cli.hpp"
#include "jobs/torch_check.hpp"
#include "jobs/verify_policy.hpp"
#include "policy/emitters.hpp"
#include "report/trial_report.hpp"
#include "store/results_db.hpp"
#include "supervisor/worker_env.hpp"

namespace convprobe::cli {

namespace {

struct VerifyArgs {
  std::string policy_path;
  std::string framework;
  bool all_candidates = false;
  TrialCliOptions trial;
};

std::string status_of(const VerifiedProblem& p) { return p.ok() ? "ok" : "FAIL"; }

nlohmann::json problem_json(const VerifiedProblem& p) {
  nlohmann::json j{{"problem", p.problem},
                   {"status", status_of(p)},
                   {"before_pass", p.before_pass},
                   {"after_pass", p.after_pass},
                   {"removed", p.removed},
                   {"issues", p.issues},
                   {"notes", p.notes},
                   {"candidates", nlohmann::json::array()}};
  for (const auto& c : p.candidates) {
    j["candidates"].push_back(nlohmann::json{{"candidate", c.id},
                                             {"before", c.before ? std::string(to_string(*c.before)) : "-"},
                                             {"after", to_string(c.after.verdict)},
                                             {"detail", c.after.detail}});
  }
  return j;
}

void print_problem(const VerifiedProblem& p) {
  size_t before_fail = 0;
  for (const auto& c : p.candidates) before_fail += c.before && is_failure(*c.before);
  fmt::print("{:<4} {}  before: {} pass  after: {} pass of {} run, {} removed\n", status_of(p), p.problem,
             p.before_pass, p.after_pass, p.candidates.size(), p.removed.size());
  for (const auto& issue : p.issues) fmt::print("       {}\n", issue);
  for (const auto& note : p.notes) fmt::print("       note: {}\n", note);
}

/// The verdicts before the policy. A database named with --db must exist; the default one may be missing,
/// because a convprobe policy names its own problems (problems_to_verify says so when that is not enough).
std::vector<StoredTrial> stored_trials(const VerifyArgs& a, const std::string& backend) {
  const DbLocation where = locate_results_db(a.trial.db_path);
  if (where.source != DbLocation::Source::option && !std::filesystem::exists(where.path)) return {};
  TrialFilter filter;
  filter.backend = backend;
  return open_results_for_reading(a.trial.db_path)->trials(filter);
}

/// The problems behind the policy, from the policy itself or the stored verdicts.
std::vector<Problem> problems_to_verify(const VerifyArgs& a, const PolicySource& source,
                                        const std::string& backend, const std::vector<StoredTrial>& trials) {
  std::vector<Problem> problems;
  std::string err;
  for (const auto& k : problems_behind(source, backend, trials)) {
    Problem p;
    if (!parse_problem(k, &p, &err)) throw std::runtime_error(fmt::format("stored problem '{}': {}", k, err));
    problems.push_back(p);
  }
  if (!problems.empty()) return problems;
  const DbLocation where = locate_results_db(a.trial.db_path);
  // Nothing to verify because the database is not there: the reading commands' one message for that.
  if (!std::filesystem::exists(where.path)) throw DbLocationError(missing_results_db_message(where));
  throw UsageError(
      fmt::format("no problems to verify: neither the policy nor database '{}' names any {} problem",
                  where.path, backend));
}

void run_verify_command(const VerifyArgs& a, CliState& state) {
  validate_trial_options(a.trial);
  if (!a.framework.empty() && a.framework != "torch") {
    throw UsageError(fmt::format("--framework '{}' is not supported; expected torch", a.framework));
  }
  PolicySource source;
  std::string err;
  if (!read_policy_source(a.policy_path, &source, &err)) throw UsageError(err);
  std::string backend = a.trial.backend.empty() ? source.backend : a.trial.backend;
  if (backend.empty())
    throw UsageError(fmt::format("cannot tell which backend '{}' is for; give -b", a.policy_path));
  if (source.policy && source.policy->backend != backend) {
    throw UsageError(
        fmt::format("the policy is for backend '{}', not '{}'", source.policy->backend, backend));
  }

  const std::vector<StoredTrial> trials = stored_trials(a, backend);
  const std::vector<Problem> problems = problems_to_verify(a, source, backend, trials);

  TrialCliOptions topts = a.trial;
  topts.backend = backend;
  ExecutorOptions eopts = executor_options(topts);
  eopts.in_process =
      false;  // always a fresh worker: the policy's env must be in place before the library loads
  eopts.env = source.env;
  auto executor = make_supervised_executor(eopts);
  const BackendInfo info = executor->info();
  if (!info.available)
    throw std::runtime_error(fmt::format("backend {} is unavailable: {}", backend, info.reason));

  const bool json_stdout = a.trial.json_path == "-";
  if (!json_stdout) {
    fmt::print("verify {} ({}, backend {}): {} problem(s) in a fresh worker with", source.path, source.format,
               backend, problems.size());
    if (source.env.empty()) fmt::print(" no environment changes");
    for (const auto& [name, value] : source.env) fmt::print(" {}={}", name, value);
    fmt::print("\n");
  }
  VerifySettings settings;
  settings.all_candidates = a.all_candidates;
  settings.trial = a.trial.trial;
  if (!json_stdout) settings.on_problem = print_problem;
  const VerifyReport report = run_verify(source, backend, trials, problems, *executor, settings);
  for (const auto& e : report.errors) fmt::print(stderr, "convprobe: error: {}\n", e);

  bool ok = report.ok();
  nlohmann::json torch_json;
  if (a.framework == "torch") {
    const TorchCheckResult torch = run_torch_check(problems, source.env);
    if (!torch.ran) {
      torch_json = {{"status", "SKIPPED"}, {"reason", torch.skipped_reason}};
      if (!json_stdout) fmt::print("torch: SKIPPED ({})\n", torch.skipped_reason);
    } else {
      torch_json = torch.report;
      torch_json["status"] = torch.ok ? "PASS" : "FAIL";
      ok = ok && torch.ok;
      if (!json_stdout) {
        for (const auto& line : torch.lines) fmt::print("torch: {}\n", line);
      }
    }
  }
  size_t failed = 0;
  for (const auto& p : report.problems) failed += !p.ok();
  if (!json_stdout) {
    fmt::print("{}: {} of {} problem(s) pass with the policy{}\n", ok ? "verified" : "NOT verified",
               report.problems.size() - failed, report.problems.size(),
               report.errors.empty() ? "" : fmt::format(", {} error(s)", report.errors.size()));
  }
  if (!a.trial.json_path.empty()) {
    nlohmann::json doc{{"schema_version", 1},     {"policy", source.path},
                       {"format", source.format}, {"backend", backend},
                       {"env", source.env},       {"ok", ok},
                       {"errors", report.errors}, {"problems", nlohmann::json::array()}};
    if (!report.onednn_cap.empty()) doc["onednn_cap"] = report.onednn_cap;
    for (const auto& p : report.problems) doc["problems"].push_back(problem_json(p));
    if (!torch_json.is_null()) doc["torch"] = torch_json;
    write_json_output(a.trial.json_path, doc);
  }
  state.exit_code = ok ? kExitOk : kExitFailure;
}

}  // namespace

void add_verify_command(CLI::App& app, CliState& state) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd =
      app.add_subcommand("verify", "Re-run the problems behind a policy in a fresh worker with it applied");
  cmd->add_option("--policy", args->policy_path,
                  "Policy file, as `convprobe policy --emit` writes it: " + emitter_names())
      ->required();
  cmd->add_option(
      "--db", args->trial.db_path,
      std::string("The verdicts before the policy. ") + kDbReadHelp +
          " (without --db, a missing default database is fine when the policy names its problems)");
  cmd->add_option("-b,--backend", args->trial.backend, "Backend (default: the one the policy is for)");
  cmd->add_option(
      "--framework", args->framework,
      "Also run each problem through this framework with the policy (torch: needs python3 with torch; "
      "reported SKIPPED otherwise)");
  cmd->add_option("--json", args->trial.json_path, "Write the report as JSON to FILE, or '-' for stdout");
  cmd->add_flag("--all-candidates", args->all_candidates,
                "Run every candidate the worker offers, not only those with a stored verdict");
  cmd->add_option("--timeout-ms", args->trial.timeout_ms,
                  "Watchdog cap per trial phase in ms (default 600000)");
  cmd->add_option("--timeout-floor-ms", args->trial.timeout_floor_ms,
                  "Watchdog floor per phase in ms (default 2000)");
  cmd->add_option("--seed", args->trial.trial.seed, "Seed of inputs and verification samples");
  add_timing_options(cmd, &args->trial.trial);
  cmd->footer(
      "Exit codes: 0 every problem passes with the policy; 1 a problem still has a failing candidate, lost "
      "every "
      "passing candidate, an oneDNN cap did not take effect, or the torch check failed (SKIPPED does not "
      "fail); "
      "2 bad usage or input, including a results database that does not exist (\"no results database at PATH "
      "...\").");
  cmd->callback([args, &state] { run_verify_command(*args, state); });
}

}  // namespace convprobe::cli
