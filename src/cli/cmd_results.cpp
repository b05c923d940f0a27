// `convprobe results`: what the results database holds, filtered, as a table or one JSON document. Read-only:
// it never creates, migrates or writes the database, so it is safe to run while a sweep writes to it.
#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "cli/cli.hpp"
#include "report/text_table.hpp"
#include "report/trial_report.hpp"
#include "store/fingerprint.hpp"
#include "store/results_db.hpp"

namespace convprobe::cli {

namespace {

/// Schema of the `results --json` document (docs/json-schema.md); bump on incompatible changes.
constexpr int kResultsJsonSchemaVersion = 1;

constexpr Verdict kAllVerdicts[] = {Verdict::untested,    Verdict::pass,   Verdict::mismatch,
                                    Verdict::unsupported, Verdict::failed, Verdict::crash,
                                    Verdict::hang,        Verdict::oom,    Verdict::skipped};

struct ResultsOptions {
  std::string db_path;
  std::string backend;
  std::string candidates;
  std::string verdicts;
  std::string problem;
  int64_t run_id = 0;
  bool run_given = false;
  std::string json_path;
  bool list_runs = false;
};

std::vector<Verdict> parse_verdict_list(const std::string& text) {
  std::vector<Verdict> out;
  for (std::string_view piece : split_list(text, ',')) {
    std::string item(piece);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (item.empty()) continue;
    Verdict v{};
    if (!verdict_from_string(item, &v)) {
      std::string valid;
      for (Verdict known : kAllVerdicts) valid += (valid.empty() ? "" : ", ") + std::string(to_string(known));
      throw UsageError(fmt::format("--verdict: unknown verdict '{}' (expected a comma-separated list of {})",
                                   item, valid));
    }
    out.push_back(v);
  }
  return out;
}

/// A stored trial in the form the sweep's table and JSON printers take. The key was written by
/// key(Problem), so it parses; if it does not, the database came from an incompatible convprobe.
ReportedTrial to_reported(const StoredTrial& t, const std::string& db_path) {
  ReportedTrial r{Problem{}, t.backend, t.candidate, t.result, t.repro};
  std::string err;
  if (!parse_problem(t.problem, &r.problem, &err)) {
    throw StoreError(fmt::format("{}: trial {} has a problem key that does not parse ('{}': {})", db_path,
                                 t.id, t.problem, err));
  }
  r.problem.label = t.problem_label;
  return r;
}

nlohmann::json trial_json(const StoredTrial& t, const ReportedTrial& reported) {
  nlohmann::json j = trial_to_json(reported);  // the sweep's field names
  j["problem"] = t.problem;                    // exactly as stored
  j.erase("restart_worker");                   // a worker-protocol flag, not stored
  j["id"] = t.id;
  j["run_id"] = t.run_id;
  j["finished_at"] = t.finished_at;
  return j;
}

/// A run as the sweep's "run" object (fingerprint fields and id), plus when it started and its trial count.
nlohmann::json run_json(const StoredRun& run, int64_t trial_count) {
  nlohmann::json j = fingerprint_to_json(run.fingerprint);
  j["id"] = run.id;
  j["started_at"] = run.started_at;
  j["trials"] = trial_count;
  return j;
}

void print_runs(const std::vector<StoredRun>& runs, const std::map<int64_t, int64_t>& counts) {
  TextTable table(
      {"run", "started_at", "backend", "version", "devices", "host", "identity", "trials", "command"});
  for (const auto& run : runs) {
    const Fingerprint& fp = run.fingerprint;
    const auto count = counts.find(run.id);
    table.add_row({std::to_string(run.id), run.started_at, fp.backend, fp.backend_version,
                   join(fp.devices, ", "), fp.host, fp.identity(),
                   std::to_string(count == counts.end() ? 0 : count->second), fp.command_line});
  }
  table.print(stdout);
}

/// One table per backend (candidate ids are only meaningful within their backend), then the counts.
void print_trials(const std::vector<ReportedTrial>& trials, const std::string& db_path) {
  std::vector<std::string> backends;
  for (const auto& t : trials) {
    if (std::find(backends.begin(), backends.end(), t.backend) == backends.end())
      backends.push_back(t.backend);
  }
  for (const auto& backend : backends) {
    std::vector<ReportedTrial> of_backend;
    for (const auto& t : trials) {
      if (t.backend == backend) of_backend.push_back(t);
    }
    if (backends.size() > 1) fmt::print("== backend {} ==\n", backend);
    print_trial_table(stdout, of_backend);
  }
  std::map<Verdict, size_t> counts;
  for (const auto& t : trials) ++counts[t.result.verdict];
  std::string summary = fmt::format("{} trial(s) in {}:", trials.size(), db_path);
  for (const auto& [verdict, n] : counts) summary += fmt::format("  {} {}", to_string(verdict), n);
  fmt::print("{}\n", summary);
}

void run_results(const ResultsOptions& o) {
  const TrialFilter filter{o.backend, o.candidates, o.problem, parse_verdict_list(o.verdicts),
                           o.run_given ? std::optional<int64_t>(o.run_id) : std::nullopt};
  const std::string path = locate_results_db(o.db_path).path;
  auto store = open_results_for_reading(o.db_path);
  if (o.run_given && !store->run(o.run_id)) {
    std::vector<std::string> ids;
    for (const auto& run : store->runs()) ids.push_back(std::to_string(run.id));
    throw UsageError(fmt::format("--run: no run with id {} in {} (runs: {})", o.run_id, path,
                                 ids.empty() ? "none" : join(ids, ", ")));
  }

  std::vector<StoredRun> runs;
  for (auto& run : store->runs()) {
    if (o.run_given && run.id != o.run_id) continue;
    if (!o.backend.empty() && run.fingerprint.backend != o.backend) continue;
    runs.push_back(std::move(run));
  }
  const auto counts = store->trial_counts();
  nlohmann::json doc{{"schema_version", kResultsJsonSchemaVersion}, {"runs", nlohmann::json::array()}};
  for (const auto& run : runs) {
    const auto count = counts.find(run.id);
    doc["runs"].push_back(run_json(run, count == counts.end() ? 0 : count->second));
  }

  const bool table_to_stdout = o.json_path != "-";
  if (o.list_runs) {
    if (table_to_stdout) print_runs(runs, counts);
  } else {
    std::vector<ReportedTrial> reported;
    doc["trials"] = nlohmann::json::array();
    for (const auto& t : store->trials(filter)) {
      reported.push_back(to_reported(t, path));
      doc["trials"].push_back(trial_json(t, reported.back()));
    }
    if (table_to_stdout) print_trials(reported, path);
  }
  if (!o.json_path.empty()) {
    // Details hold worker output, which may be invalid UTF-8: replace such bytes rather than fail the export.
    write_json_output(o.json_path, nlohmann::json::parse(
                                       doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
}

}  // namespace

void add_results_command(CLI::App& app, CliState& state) {
  auto o = std::make_shared<ResultsOptions>();
  auto* cmd = app.add_subcommand("results", "Show stored trials (or runs) from the results database");
  cmd->add_option("--db", o->db_path, kDbReadHelp);
  cmd->add_option("-b,--backend", o->backend, "Only this backend");
  cmd->add_option("--candidates", o->candidates,
                  "Comma-separated globs over candidate ids, e.g. 'jit:*,gemm*'");
  cmd->add_option("--verdict", o->verdicts, "Comma-separated verdicts, e.g. HANG,CRASH (case-insensitive)");
  cmd->add_option("--problem", o->problem, "Glob over problem keys or labels, e.g. '*ih56*' or 'resnet*'");
  auto* run = cmd->add_option("--run", o->run_id, "Only this run id (see --runs)");
  cmd->add_option("--json", o->json_path,
                  "Write {schema_version, runs, trials} as JSON to FILE, or - for stdout");
  cmd->add_flag("--runs", o->list_runs, "List runs with their fingerprints instead of trials");
  cmd->footer(R"(Examples:
  convprobe results --verdict HANG,CRASH
  convprobe results --db runs.db -b miopen --candidates '*Gemm*' --problem '*ih224*'
  convprobe results --runs
  convprobe results --json - | jq '.trials[] | select(.verdict == "MISMATCH")'
)" + std::string(kDbReadExitCodes));
  cmd->callback([o, run, &state] {
    o->run_given = run->count() > 0;
    run_results(*o);
    state.exit_code = kExitOk;
  });
}

}  // namespace convprobe::cli
