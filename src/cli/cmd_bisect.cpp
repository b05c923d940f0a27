// `convprobe bisect`: find where a candidate's verdict changes along one axis of a problem. Every probe is an
// ordinary trial (supervised by default, so HANG is a usable verdict) and is committed to the store.
#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <memory>

#include "cli/candidate_selection.hpp"
#include "cli/cli.hpp"
#include "cli/trial_cli.hpp"
#include "exec/backend_registry.hpp"
#include "jobs/bisect_search.hpp"
#include "jobs/executor_factory.hpp"
#include "report/trial_report.hpp"
#include "store/fingerprint.hpp"
#include "store/results_db.hpp"

namespace convprobe::cli {

namespace {

constexpr size_t kMaxAxisValues = 1000000;

struct BisectArgs {
  TrialCliOptions trial;
  std::string candidate;
  std::string from;
  std::string axis;
  int64_t to = 0;
  int spot_checks = 3;
};

/// The valid axis values from --from's value to --to, in that order (either direction).
std::vector<int64_t> axis_values(const Problem& base, Axis axis, int64_t to) {
  const int64_t from = axis_value(base, axis);
  const int64_t step = to >= from ? 1 : -1;
  const uint64_t span = static_cast<uint64_t>(to >= from ? to - from : from - to) + 1;
  if (span > kMaxAxisValues) {
    throw UsageError(fmt::format("--to {}: {} values from {} is more than {} to search; choose a nearer --to",
                                 to, span, from, kMaxAxisValues));
  }
  std::vector<int64_t> values;
  Problem p;
  for (int64_t v = from;; v += step) {
    if (with_axis_value(base, axis, v, &p).empty()) values.push_back(v);
    if (v == to) break;
  }
  return values;
}

nlohmann::json point_json(const Problem& base, Axis axis, const BisectPoint& pt) {
  Problem p;
  (void)with_axis_value(base, axis, pt.value, &p);
  nlohmann::json j{{"value", pt.value},
                   {"problem", key(p)},
                   {"role", pt.role},
                   {"verdict", to_string(pt.result.verdict)},
                   {"detail", pt.result.detail},
                   {"phase", to_string(pt.result.phase)}};
  if (pt.result.time) j["time_ms"] = {{"median", pt.result.time->median_ms}};
  return j;
}

nlohmann::json side_json(const Problem& base, Axis axis, int64_t value, const TrialResult& r) {
  Problem p;
  (void)with_axis_value(base, axis, value, &p);
  return nlohmann::json{
      {"value", value}, {"problem", key(p)}, {"verdict", to_string(r.verdict)}, {"detail", r.detail}};
}

/// What the backend offers on `p`, plus a well-formed --candidate it runs without listing
/// (fault.hang@hw>100).
std::vector<Candidate> candidates_at(Executor& executor, const Problem& p, const BisectArgs& a) {
  std::vector<Candidate> candidates = executor.candidates(p, a.trial.trial);
  add_unlisted_candidates(a.trial.backend, a.candidate, &candidates);
  return candidates;
}

void run_bisect(const BisectArgs& a, CliState& state) {
  validate_trial_options(a.trial);
  check_unlisted_ids(a.trial.backend, "--candidate", a.candidate);
  Axis axis;
  if (!parse_axis(a.axis, &axis)) {
    throw UsageError(fmt::format("--axis '{}' is not an axis; expected one of hw, h, w, c, k, n, r", a.axis));
  }
  Problem base;
  std::string err;
  if (!parse_problem(a.from, &base, &err)) throw UsageError(fmt::format("--from '{}': {}", a.from, err));
  if (auto msg = validate(base); !msg.empty()) throw UsageError(fmt::format("--from '{}': {}", a.from, msg));
  if (a.spot_checks < 0) throw UsageError(fmt::format("--spot-checks {} must be >= 0", a.spot_checks));
  Problem at_to;
  if (auto msg = with_axis_value(base, axis, a.to, &at_to); !msg.empty()) {
    throw UsageError(fmt::format("--to {}: the problem at {}={} is not valid: {}", a.to, a.axis, a.to, msg));
  }
  if (a.to == axis_value(base, axis)) {
    throw UsageError(fmt::format("--to {} equals --from's {} value; give a different end", a.to, a.axis));
  }
  const std::vector<int64_t> values = axis_values(base, axis, a.to);

  auto executor = make_executor(executor_options(a.trial));
  const BackendInfo info = executor->info();
  if (!info.available) {
    throw std::runtime_error(fmt::format("backend {} is unavailable: {}", a.trial.backend, info.reason));
  }
  // The candidate must exist where the search starts; elsewhere a missing candidate reads UNSUPPORTED.
  const auto from_candidates = candidates_at(*executor, base, a);
  const auto found = std::find_if(from_candidates.begin(), from_candidates.end(),
                                  [&](const Candidate& c) { return c.id == a.candidate; });
  if (found == from_candidates.end()) {
    std::vector<std::string> ids;
    for (const auto& c : from_candidates) ids.push_back(c.id);
    throw UsageError(fmt::format("--candidate '{}' is not a {} candidate of {}; candidates there: {}",
                                 a.candidate, a.trial.backend, key(base), some_of(ids)));
  }
  const Candidate fallback = *found;

  // Opened only once the candidate is known to exist: a rejected command stores nothing.
  std::unique_ptr<Store> store;
  int64_t run_id = -1;
  if (!a.trial.no_db) {
    store = open_results_for_writing(a.trial.db_path);
    run_id = store->begin_run(make_fingerprint(info, executor_options(a.trial).devices, state.command_line),
                              false);
  }

  const bool quiet = a.trial.quiet || a.trial.json_path == "-";
  BisectProbe probe = [&](int64_t value, const std::string& role) {
    Problem p;
    (void)with_axis_value(base, axis, value, &p);
    Candidate candidate = fallback;
    bool listed = false;
    for (auto& c : candidates_at(*executor, p, a)) {
      if (c.id == a.candidate) {
        candidate = c;
        listed = true;
      }
    }
    TrialResult result;
    if (!listed) {
      result.verdict = Verdict::unsupported;
      result.detail = "the backend does not list this candidate for the problem";
    } else {
      executor->run({TrialRequest{p, candidate, 1}}, a.trial.trial,
                    [&](const TrialRequest&, const TrialResult& r) { result = r; });
    }
    if (store)
      store->add_trial(run_id, p, a.trial.backend, candidate, result,
                       repro_command(p, a.trial.backend, candidate));
    if (!quiet) {
      fmt::print(stderr, "  {}={:<8} {:<8} {:<9} {}\n", a.axis, value, role, to_string(result.verdict),
                 result.detail.substr(0, 100));
    }
    return result;
  };

  BisectSettings settings;
  settings.spot_checks_per_side = a.spot_checks;
  settings.seed = a.trial.trial.seed;
  const BisectOutcome outcome = bisect_values(values, probe, settings);

  std::string headline;
  switch (outcome.kind) {
    case BisectOutcome::Kind::no_change:
      headline = fmt::format("{}: {}", a.candidate, outcome.message);
      break;
    case BisectOutcome::Kind::boundary:
      headline = describe_boundary(a.candidate, axis, outcome);
      break;
    case BisectOutcome::Kind::non_monotone:
    case BisectOutcome::Kind::unstable:
      headline = fmt::format("{}: {} (first boundary seen: {})", a.candidate, outcome.message,
                             describe_boundary(a.candidate, axis, outcome));
      break;
  }
  const bool ok =
      outcome.kind == BisectOutcome::Kind::boundary || outcome.kind == BisectOutcome::Kind::no_change;

  if (a.trial.json_path != "-") {
    fmt::print("{}\n", headline);
    if (outcome.kind != BisectOutcome::Kind::no_change) {
      fmt::print("  last good  {}={}: {} {}\n", a.axis, outcome.last_good, to_string(outcome.good.verdict),
                 outcome.good.detail);
      fmt::print("  first bad  {}={}: {} {}\n", a.axis, outcome.first_bad, to_string(outcome.bad.verdict),
                 outcome.bad.detail);
    }
    if (outcome.kind == BisectOutcome::Kind::boundary && !outcome.message.empty()) {
      fmt::print("  {}\n", outcome.message);
    }
    fmt::print("  {} trial(s){}\n", outcome.points.size(),
               store ? fmt::format(", stored as run {}", run_id) : std::string());
  }
  if (!a.trial.json_path.empty()) {
    static const char* kKinds[] = {"boundary", "no_change", "non_monotone", "unstable"};
    nlohmann::json doc{{"schema_version", 1},
                       {"backend", a.trial.backend},
                       {"candidate", a.candidate},
                       {"axis", a.axis},
                       {"from", key(base)},
                       {"to", a.to},
                       {"result", kKinds[static_cast<int>(outcome.kind)]},
                       {"message", outcome.message},
                       {"summary", headline},
                       {"ok", ok}};
    if (run_id >= 0) doc["run_id"] = run_id;
    if (outcome.kind != BisectOutcome::Kind::no_change) {
      doc["last_good"] = side_json(base, axis, outcome.last_good, outcome.good);
      doc["first_bad"] = side_json(base, axis, outcome.first_bad, outcome.bad);
    }
    std::map<int64_t, std::string> verdicts;
    doc["trials"] = nlohmann::json::array();
    for (const auto& pt : outcome.points) {
      doc["trials"].push_back(point_json(base, axis, pt));
      verdicts[pt.value] = std::string(to_string(pt.result.verdict));
    }
    doc["verdicts"] = nlohmann::json::array();
    for (const auto& [v, verdict] : verdicts) doc["verdicts"].push_back({{"value", v}, {"verdict", verdict}});
    write_json_output(a.trial.json_path, doc);
  }
  state.exit_code = ok ? kExitOk : kExitFailure;
}

}  // namespace

void add_bisect_command(CLI::App& app, CliState& state) {
  auto args = std::make_shared<BisectArgs>();
  auto* cmd =
      app.add_subcommand("bisect", "Find where a candidate's verdict changes along one axis of a problem");
  cmd->add_option("-b,--backend", args->trial.backend, "Backend: " + known_backends_text(" or "))->required();
  cmd->add_option("--candidate", args->candidate, "Candidate id, e.g. fault.hang@hw>42")->required();
  cmd->add_option("--from", args->from, "Problem descriptor the search starts from")->required();
  cmd->add_option("--axis", args->axis,
                  "Axis: hw (H and W together), h, w, c (input channels), k (output channels), n (batch), r "
                  "(kernel size; 'same' padding is kept)")
      ->required();
  cmd->add_option("--to", args->to, "The other end of the axis")->required();
  cmd->add_option("--db", args->trial.db_path, std::string("Every probe is stored here. ") + kDbWriteHelp);
  cmd->add_flag("--no-db", args->trial.no_db, "Do not store the probes");
  cmd->add_option("--json", args->trial.json_path, "Write the outcome as JSON to FILE, or '-' for stdout");
  cmd->add_option("--timeout-ms", args->trial.timeout_ms,
                  "Watchdog cap per trial phase in ms (default 600000)");
  cmd->add_option("--timeout-floor-ms", args->trial.timeout_floor_ms,
                  "Watchdog floor per phase in ms (default 2000)");
  cmd->add_flag("--in-process", args->trial.in_process,
                "Run trials in this process (a hang hangs convprobe)");
  cmd->add_option("--spot-checks", args->spot_checks, "Random extra values checked on each side (default 3)");
  cmd->add_option("--seed", args->trial.trial.seed, "Seed of inputs and of the spot checks");
  add_timing_options(cmd, &args->trial.trial);
  cmd->add_flag("-q,--quiet", args->trial.quiet, "No per-probe lines on stderr");
  cmd->footer(
      "Exit codes: 0 a boundary was found (or the verdict does not change); 1 non-monotone or unstable "
      "verdicts, or "
      "a runtime failure; 2 bad usage or input (e.g. a --candidate the backend does not list at --from).\n"
      "Example: convprobe bisect -b fault --candidate 'fault.hang@hw>42' --from mb1ic3ih32oc64kh3ph1 --axis "
      "hw --to "
      "512");
  cmd->callback([args, &state] { run_bisect(*args, state); });
}

}  // namespace convprobe::cli
