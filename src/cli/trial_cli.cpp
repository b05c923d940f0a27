#include "cli/trial_cli.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "base/text.hpp"
#include "cli/candidate_selection.hpp"
#include "base/text.hpp"
#include "exec/backend_registry.hpp"
#include "exec/plugin_loader.hpp"
#include "jobs/executor_factory.hpp"
#include "policy/policy_file.hpp"
#include "problem/presets.hpp"
#include "report/progress.hpp"
#include "store/fingerprint.hpp"
#include "store/results_db.hpp"

namespace convprobe::cli {

void add_trial_options(CLI::App* cmd, TrialCliOptions* o, bool backend_required) {
  auto* b = cmd->add_option("-b,--backend", o->backend, "Backend: " + known_backends_text(" or "));
  if (backend_required) b->required();
  cmd->add_option("--candidates", o->candidate_patterns,
                  "Comma-separated globs over candidate ids, e.g. 'jit:*,gemm*' (default: all). A glob that "
                  "matches no candidate on any problem is an error (exit 2)");
  cmd->add_option("--json", o->json_path, "Write results as one JSON document to FILE, or '-' for stdout");
  cmd->add_option("--db", o->db_path, kDbWriteHelp);
  cmd->add_flag("--no-db", o->no_db, "Do not store results");
  cmd->add_flag("--resume", o->resume,
                "Skip trials already stored for the same fingerprint (same machine, versions, env)");
  cmd->add_flag("--in-process", o->in_process,
                "Run trials in this process (no worker, no watchdog: a hang hangs convprobe). For debugging");
  cmd->add_option("--timeout-ms", o->timeout_ms,
                  "Watchdog cap per trial phase in ms; the deadline scales with the problem's work between a "
                  "floor and this cap (default 600000)");
  cmd->add_option("--timeout-floor-ms", o->timeout_floor_ms, "Watchdog floor per phase in ms (default 2000)");
  cmd->add_option("--retries", o->retries,
                  "Re-run a trial whose worker died or hung up to N times, recording each attempt");
  cmd->add_option("--devices", o->devices,
                  "Devices: 'all' or a list like 0,1 (one worker + standby per device)");
  cmd->add_option("--policy", o->policy_path,
                  "Apply a convprobe policy file (from `convprobe policy --emit convprobe`)");
  cmd->add_flag("-q,--quiet", o->quiet, "No progress output");
  cmd->add_option("--seed", o->trial.seed, "Seed of inputs and verification samples");
  add_timing_options(cmd, &o->trial);
  cmd->add_flag("!--no-verify", o->trial.verify, "Skip verification against the fp64 reference");
  cmd->add_flag("!--no-time", o->trial.time, "Skip timing");
  cmd->add_flag("--flush-l2", o->trial.flush_l2, "GPU: flush L2 between timed runs");
  cmd->add_option("--max-workspace", o->trial.max_workspace_bytes,
                  "Workspace cap in bytes; candidates needing more are SKIPPED (not FAILED)");
  add_backend_option_flags(cmd, &o->trial);
  cmd->add_option("--sample-points", o->trial.sample_points,
                  "Points verified when a problem is too large to verify in full (>= 16384)");
}

void add_backend_option_flags(CLI::App* cmd, TrialOptions* o) {
  for (const BackendOption& option : backend_options()) {
    cmd->add_option_function<std::string>(
           option.flag, [o, key = option.key](const std::string& value) { o->backend_options[key] = value; },
           option.help)
        ->type_name(option.value_name);
  }
}

void add_timing_options(CLI::App* cmd, TrialOptions* o) {
  cmd->add_option("--repeats", o->repeats, "Timed runs per trial (median reported; default 10)");
  cmd->add_option("--warmup", o->warmup, "Untimed runs before timing (default 2)");
  cmd->add_option("--max-time-ms", o->max_time_ms,
                  "Stop timing a candidate once this much was timed, after at least 3 runs (0: always "
                  "--repeats; default 1000)");
}

void validate_trial_options(const TrialCliOptions& o) {
  if (!o.backend.empty() && !is_known_backend(o.backend)) {
    throw UsageError(fmt::format("--backend '{}' is not a backend; expected one of {}", o.backend,
                                 known_backends_text(", ")));
  }
  if (!(o.timeout_ms > 0)) throw UsageError(fmt::format("--timeout-ms {} must be positive", o.timeout_ms));
  if (!(o.timeout_floor_ms > 0)) {
    throw UsageError(fmt::format("--timeout-floor-ms {} must be positive", o.timeout_floor_ms));
  }
  if (o.retries < 0) throw UsageError(fmt::format("--retries {} must be >= 0", o.retries));
  if (o.trial.repeats < 1) throw UsageError(fmt::format("--repeats {} must be >= 1", o.trial.repeats));
  if (o.trial.warmup < 0) throw UsageError(fmt::format("--warmup {} must be >= 0", o.trial.warmup));
  if (!(o.trial.max_time_ms >= 0)) {
    throw UsageError(fmt::format("--max-time-ms {} must be >= 0 (0: no cap)", o.trial.max_time_ms));
  }
  if (o.trial.sample_points < 16384) {
    throw UsageError(fmt::format("--sample-points {} must be >= 16384", o.trial.sample_points));
  }
  // Backend-only options (--math, ...) are checked by the backends that declare them, whichever runs.
  if (std::string err = check_backend_options(o.trial.backend_options); !err.empty()) throw UsageError(err);
  if (o.devices != "all") (void)parse_device_list(o.devices);
  if (o.no_db && o.resume)
    throw UsageError("--resume needs the results database; it cannot be used with --no-db");
  if (!o.candidate_patterns.empty() && candidate_globs(o.candidate_patterns).empty()) {
    throw UsageError(fmt::format("--candidates '{}' holds no glob; give ids or globs like 'jit:*,gemm*'",
                                 o.candidate_patterns));
  }
  check_unlisted_ids(o.backend, "--candidates", o.candidate_patterns);
}

std::vector<int> parse_device_list(const std::string& text) {
  std::vector<int> devices;
  for (std::string_view piece : split_list(text, ',')) {
    const std::string item(piece);
    int value = -1;
    size_t used = 0;
    try {
      value = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || value < 0) {
      throw UsageError(fmt::format(
          "--devices '{}': '{}' is not a device index; expected 'all' or a list like 0,1", text, item));
    }
    if (std::find(devices.begin(), devices.end(), value) == devices.end()) devices.push_back(value);
  }
  return devices;
}

ExecutorOptions executor_options(const TrialCliOptions& o) {
  ExecutorOptions e;
  e.backend = o.backend;
  e.in_process = o.in_process;
  e.timeout_cap_ms = o.timeout_ms;
  e.timeout_floor_ms = std::min(o.timeout_floor_ms, o.timeout_ms);
  e.retries = o.retries;
  e.devices = o.devices == "all" ? std::vector<int>{0} : parse_device_list(o.devices);
  return e;
}

std::vector<Problem> resolve_problems(const std::string& preset, int64_t batch,
                                      const std::string& problems_file,
                                      const std::vector<std::string>& descriptors) {
  const int sources = static_cast<int>(!preset.empty()) + static_cast<int>(!problems_file.empty()) +
                      static_cast<int>(!descriptors.empty());
  if (sources == 0) throw UsageError("no problems given; use --preset NAME, --problems FILE or a descriptor");
  if (sources > 1) throw UsageError("give exactly one of --preset, --problems or descriptors");
  std::vector<Problem> problems;
  std::string err;
  if (!preset.empty()) {
    Preset p;
    if (!find_preset(preset, batch, &p, &err)) throw UsageError(err);
    problems = p.problems;
  } else if (!problems_file.empty()) {
    if (!parse_problems_file(problems_file, &problems, &err)) throw UsageError(err);
    if (problems.empty()) throw UsageError(fmt::format("problems file '{}' holds no problem", problems_file));
  } else {
    for (const auto& d : descriptors) {
      Problem p;
      if (!parse_problem(d, &p, &err)) throw UsageError(err);
      problems.push_back(p);
    }
  }
  if (batch > 0 && preset.empty()) {
    for (auto& p : problems) p.mb = batch;
  }
  for (const auto& p : problems) {
    if (auto msg = validate(p); !msg.empty())
      throw UsageError(fmt::format("problem '{}': {}", to_string(p), msg));
  }
  return problems;
}

namespace {

/// The policy given with --policy, checked against the backend; nullopt without one.
std::optional<Policy> load_cli_policy(const TrialCliOptions& o) {
  if (o.policy_path.empty()) return std::nullopt;
  Policy policy;
  std::string err;
  if (!load_policy(o.policy_path, &policy, &err)) throw UsageError(err);
  if (policy.backend != o.backend) {
    throw UsageError(
        fmt::format("--policy {} is for backend '{}', not '{}'", o.policy_path, policy.backend, o.backend));
  }
  return policy;
}

struct StartedBackend {
  std::unique_ptr<Executor> executor;
  BackendInfo info;
  ExecutorOptions options;
};

/// The backend's executor, answering and with every --devices index known to it.
StartedBackend start_backend(const TrialCliOptions& o, const std::optional<Policy>& policy) {
  StartedBackend b;
  b.options = executor_options(o);
  if (policy) b.options.env.insert(policy->env.begin(), policy->env.end());
  b.executor = make_executor(b.options);
  b.info = b.executor->info();
  if (!b.info.available)
    throw std::runtime_error(fmt::format("backend {} is unavailable: {}", o.backend, b.info.reason));
  if (o.devices == "all" && b.info.devices.size() > 1) {
    b.options.devices.clear();
    for (const auto& d : b.info.devices) b.options.devices.push_back(d.index);
    b.executor = make_executor(b.options);
  }
  for (int d : b.options.devices) {
    const bool known = std::any_of(b.info.devices.begin(), b.info.devices.end(),
                                   [d](const DeviceInfo& x) { return x.index == d; });
    if (!known) {
      throw UsageError(fmt::format("--devices: backend {} has no device {} ({} device(s))", o.backend, d,
                                   b.info.devices.size()));
    }
  }
  return b;
}

/// One problem and the candidates --candidates and --policy select on it.
struct PlannedProblem {
  Problem problem;
  std::vector<Candidate> selected;
};

/// Lists every problem's candidates (through a worker: the supervisor never loads a vendor library) and
/// checks the selection over the whole plan before anything runs or is stored. Listing failures go to
/// outcome->errors; the plan's problem order to outcome->problem_order.
std::vector<PlannedProblem> plan_selection(Executor& executor, const std::vector<Problem>& problems,
                                           const TrialCliOptions& o, const std::optional<Policy>& policy,
                                           SweepOutcome* outcome) {
  std::vector<PlannedProblem> planned;
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
    add_unlisted_candidates(o.backend, o.candidate_patterns, &listed);
    std::vector<Candidate> allowed = policy ? apply_policy(*policy, listed) : listed;
    offered.add(key(p), listed, allowed);
    PlannedProblem& plan = planned.emplace_back(PlannedProblem{p, {}});
    for (auto& c : allowed) {
      if (matches_any(o.candidate_patterns, c.id)) plan.selected.push_back(std::move(c));
    }
  }
  check_selection(o.backend, o.candidate_patterns, o.policy_path, offered);
  return planned;
}

/// The trials to run: every selected candidate, less those --resume finds stored under this identity.
std::vector<TrialRequest> requests_to_run(std::vector<PlannedProblem>& planned, const TrialCliOptions& o,
                                          Store* store, const std::string& identity, size_t* skipped_stored) {
  std::vector<TrialRequest> requests;
  for (auto& plan : planned) {
    const std::string problem_key = key(plan.problem);
    for (auto& c : plan.selected) {
      if (o.resume && store && store->has_trial(identity, problem_key, o.backend, c.id)) {
        ++*skipped_stored;
        continue;
      }
      requests.push_back(TrialRequest{plan.problem, std::move(c), 1});
    }
  }
  return requests;
}

}  // namespace

SweepOutcome run_plan(const std::vector<Problem>& problems, const TrialCliOptions& o, const CliState& state) {
  const auto start = std::chrono::steady_clock::now();
  auto seconds_since_start = [&start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  SweepOutcome outcome;
  const std::optional<Policy> policy = load_cli_policy(o);
  StartedBackend backend = start_backend(o, policy);
  outcome.startup_s = seconds_since_start();
  const Fingerprint fp = make_fingerprint(backend.info, backend.options.devices, state.command_line);
  outcome.run_json = fingerprint_to_json(fp);

  std::vector<PlannedProblem> planned = plan_selection(*backend.executor, problems, o, policy, &outcome);
  // Only a selection that passed its checks opens (and so maybe creates) the database and starts a run.
  std::unique_ptr<Store> store = o.no_db ? nullptr : open_results_for_writing(o.db_path);
  if (store) {
    outcome.run_id = store->begin_run(fp, o.resume);
    outcome.db_path = locate_results_db(o.db_path).path;
  }
  const std::vector<TrialRequest> requests =
      requests_to_run(planned, o, store.get(), fp.identity(), &outcome.skipped_stored);

  outcome.listing_s = seconds_since_start();
  Progress progress(Progress::choose_mode(o.quiet || o.json_path == "-"), requests.size());
  backend.executor->run(
      requests, o.trial,
      [&](const TrialRequest& req, const TrialResult& result) {
        ReportedTrial t{req.problem, o.backend, req.candidate, result,
                        repro_command(req.problem, o.backend, req.candidate)};
        // Commit before anything else: a kill -9 right after this line loses nothing finished.
        if (store) store->add_trial(outcome.run_id, req.problem, o.backend, req.candidate, result, t.repro);
        progress.finished(result.verdict);
        outcome.trials.push_back(std::move(t));
      },
      [&](const TrialRequest& req) { progress.started(to_string(req.problem), req.candidate.id); });
  progress.done();
  outcome.wall_s = seconds_since_start();
  return outcome;
}

TimeAccount account_time(const SweepOutcome& outcome) {
  TimeAccount a;
  a.wall_s = outcome.wall_s;
  a.startup_s = outcome.startup_s;
  a.listing_s = outcome.listing_s - outcome.startup_s;
  double kernel_ms = 0;
  bool counted = true;
  for (const auto& t : outcome.trials) {
    const auto& time = t.result.time;
    if (!time || !std::isfinite(time->median_ms)) continue;
    ++a.timed;
    counted = counted && time->launches > 0;
    kernel_ms += time->median_ms * static_cast<double>(time->launches);
  }
  a.kernel_s = counted ? kernel_ms / 1000 : -1;
  return a;
}

std::string time_account_text(const TimeAccount& a) {
  std::string text = fmt::format("wall {:.1f} s (backend start {:.1f} s, listing candidates {:.1f} s)",
                                 a.wall_s, a.startup_s, a.listing_s);
  if (a.timed == 0) return text + "; no timed trials";
  if (a.kernel_s < 0) return text + "; kernel time unknown (the backend does not count launches)";
  text += fmt::format("; candidates' kernel time {:.1f} s (median x launches over {} timed trial(s))",
                      a.kernel_s, a.timed);
  if (a.kernel_s > 0) text += fmt::format(": wall/kernel {:.2f}", a.wall_s / a.kernel_s);
  return text;
}

nlohmann::json time_account_json(const TimeAccount& a) {
  nlohmann::json j{{"wall_s", a.wall_s},
                   {"startup_s", a.startup_s},
                   {"listing_s", a.listing_s},
                   {"timed_trials", a.timed}};
  j["kernel_s"] = a.kernel_s >= 0 ? nlohmann::json(a.kernel_s) : nlohmann::json(nullptr);
  j["wall_per_kernel"] = a.kernel_s > 0 ? nlohmann::json(a.wall_s / a.kernel_s) : nlohmann::json(nullptr);
  return j;
}

int report_outcome(const SweepOutcome& outcome, const TrialCliOptions& o) {
  const TimeAccount time = account_time(outcome);
  if (o.json_path != "-") {
    // Several devices finish problems out of order: the table follows the plan, grouped by problem. Each
    // trial's plan position is looked up once (a problem key is built per trial, not per comparison).
    std::map<std::string, size_t> plan_position;
    for (size_t i = 0; i < outcome.problem_order.size(); ++i)
      plan_position.emplace(outcome.problem_order[i], i);
    std::vector<std::pair<size_t, const ReportedTrial*>> by_plan;
    by_plan.reserve(outcome.trials.size());
    for (const auto& t : outcome.trials) {
      const auto it = plan_position.find(key(t.problem));
      by_plan.emplace_back(it == plan_position.end() ? plan_position.size() : it->second, &t);
    }
    std::stable_sort(by_plan.begin(), by_plan.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<ReportedTrial> ordered;
    ordered.reserve(by_plan.size());
    for (const auto& [position, t] : by_plan) ordered.push_back(*t);
    print_trial_table(stdout, ordered);
    std::map<Verdict, size_t> counts;
    for (const auto& t : outcome.trials) ++counts[t.result.verdict];
    std::string summary =
        fmt::format("{} trial(s) on {} problem(s):", outcome.trials.size(), outcome.problem_order.size());
    for (const auto& [verdict, n] : counts) summary += fmt::format(" {} {}", to_string(verdict), n);
    if (!outcome.db_path.empty())
      summary += fmt::format("; stored in {} (run {})", outcome.db_path, outcome.run_id);
    fmt::print("{}\n", summary);
    fmt::print("time: {}\n", time_account_text(time));
    if (outcome.skipped_stored > 0) {
      fmt::print("--resume: {} trial(s) already stored were not re-run\n", outcome.skipped_stored);
    }
  }
  for (const auto& e : outcome.errors) fmt::print(stderr, "convprobe: error: {}\n", e);
  if (!o.json_path.empty()) {
    nlohmann::json doc;
    doc["schema_version"] = 1;
    doc["run"] = outcome.run_json;
    if (outcome.run_id >= 0) doc["run"]["id"] = outcome.run_id;
    doc["trials"] = nlohmann::json::array();
    for (const auto& t : outcome.trials) doc["trials"].push_back(trial_to_json(t));
    doc["errors"] = outcome.errors;
    doc["time"] = time_account_json(time);
    write_json_output(o.json_path, doc);
  }
  return outcome.errors.empty() ? kExitOk : kExitFailure;
}

}  // namespace convprobe::cli
