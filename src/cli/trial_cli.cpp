#include "cli/trial_cli.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "base/text.hpp"
#include "exec/backend_registry.hpp"
#include "exec/plugin_loader.hpp"
#include "jobs/candidate_selection.hpp"
#include "jobs/model_import.hpp"
#include "jobs/sweep.hpp"
#include "problem/presets.hpp"
#include "problem/problem_list.hpp"

namespace convprobe::cli {

void add_trial_options(CLI::App* cmd, TrialCliOptions* o, bool backend_required) {
  auto* b = cmd->add_option("-b,--backend", o->backend, "Backend: " + known_backends_text(" or "));
  if (backend_required) b->required();
  cmd->add_option("--candidates", o->candidate_patterns,
                  "Comma-separated globs over candidate ids, e.g. 'jit:*,gemm*' (default: all). A glob that "
                  "matches no candidate on any problem is an error (exit 2)");
  add_report_options(cmd, &o->outputs);
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

void add_report_options(CLI::App* cmd, ReportTargets* targets,
                        const std::map<std::string, std::string>& help) {
  for (const auto& format : printer_formats()) {
    const auto worded = help.find(format.name);
    cmd->add_option(std::string("--") + format.name, (*targets)[format.name],
                    worded == help.end() ? std::string(format.help) : worded->second);
  }
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

void validate_report_targets(const ReportTargets& targets) {
  std::vector<std::string> to_stdout;
  for (const auto& [name, path] : targets) {
    if (path == "-") to_stdout.push_back("--" + name);
  }
  if (to_stdout.size() > 1) {
    throw UsageError(fmt::format("only one of {} can write to stdout ('-'); give the others a FILE",
                                 join(to_stdout, ", ")));
  }
}

void validate_trial_options(const TrialCliOptions& o) {
  validate_report_targets(o.outputs);
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

SessionOptions session_options(const TrialCliOptions& o, const CliState& state) {
  SessionOptions s;
  ExecutorOptions& e = s.executor;
  e.backend = o.backend;
  e.in_process = o.in_process;
  e.timeout_cap_ms = o.timeout_ms;
  e.timeout_floor_ms = std::min(o.timeout_floor_ms, o.timeout_ms);
  e.retries = o.retries;
  s.all_devices = o.devices == "all";
  e.devices = s.all_devices ? std::vector<int>{0} : parse_device_list(o.devices);
  s.command_line = state.command_line;
  return s;
}

/// Every problem with batch `batch`: problems that then become the same are one, their runs added up.
std::vector<Problem> with_batch(std::vector<Problem> problems, int64_t batch) {
  for (auto& p : problems) p.mb = batch;
  return merge_same_problems(std::move(problems));
}

std::vector<Problem> model_problems(const std::vector<std::string>& models, int64_t batch) {
  ModelImportOptions o;
  o.files = models;
  o.batch = batch;
  std::vector<Problem> problems = import_models(o).tally.problems();
  if (batch > 0) problems = with_batch(problems, batch);
  for (const auto& p : problems) {
    if (auto msg = validate(p); !msg.empty())
      throw UsageError(fmt::format("problem '{}': {}", to_string(p), msg));
  }
  return problems;
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
  if (batch > 0 && preset.empty()) problems = with_batch(problems, batch);
  for (const auto& p : problems) {
    if (auto msg = validate(p); !msg.empty())
      throw UsageError(fmt::format("problem '{}': {}", to_string(p), msg));
  }
  return problems;
}

int run_sweep_command(const std::vector<Problem>& problems, const TrialCliOptions& o, const CliState& state) {
  SweepOptions sweep;
  sweep.session = session_options(o, state);
  sweep.session.check_devices = true;
  sweep.candidate_patterns = o.candidate_patterns;
  sweep.policy_path = o.policy_path;
  sweep.db_path = o.db_path;
  sweep.no_db = o.no_db;
  sweep.resume = o.resume;
  sweep.quiet = o.quiet || writes_stdout(o.outputs);
  sweep.trial = o.trial;
  const auto printers = make_report_printers(o.outputs);
  return run_sweep(problems, sweep, *printers).ok() ? kExitOk : kExitFailure;
}

}  // namespace convprobe::cli
