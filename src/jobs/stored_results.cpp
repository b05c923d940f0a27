#include "jobs/stored_results.hpp"

#include <fmt/core.h>

#include <map>
#include <memory>
#include <vector>

#include "base/text.hpp"
#include "jobs/usage_error.hpp"
#include "report/document.hpp"
#include "report/run_list.hpp"
#include "store/results_db.hpp"

namespace convprobe {

namespace {

constexpr Verdict kAllVerdicts[] = {Verdict::untested,    Verdict::pass,   Verdict::mismatch,
                                    Verdict::unsupported, Verdict::failed, Verdict::crash,
                                    Verdict::hang,        Verdict::oom,    Verdict::skipped};

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

/// A stored trial in the form the sweep's printers take. The key was written by key(Problem), so it parses;
/// if it does not, the database came from an incompatible convprobe.
ReportedTrial to_reported(const StoredTrial& t, const std::string& db_path) {
  ReportedTrial r{Problem{}, t.backend, t.candidate,
                  t.result,  t.repro,   StoredTrialRef{t.id, t.run_id, t.finished_at, t.problem}};
  std::string err;
  if (!parse_problem(t.problem, &r.problem, &err)) {
    throw StoreError(fmt::format("{}: trial {} has a problem key that does not parse ('{}': {})", db_path,
                                 t.id, t.problem, err));
  }
  r.problem.label = t.problem_label;
  return r;
}

/// The database, opened by the reading rule, with the query's runs.
struct OpenedResults {
  std::string path;
  std::unique_ptr<Store> store;
  nlohmann::json runs = nlohmann::json::array();  ///< each as stored_run_json
  std::vector<StoredRun> run_list;
  std::map<int64_t, int64_t> counts;  ///< trials per run
};

OpenedResults open_results(const ResultsQuery& q) {
  OpenedResults r;
  r.path = locate_results_db(q.db_path).path;
  r.store = open_results_for_reading(q.db_path);
  if (q.run_id && !r.store->run(*q.run_id)) {
    std::vector<std::string> ids;
    for (const auto& run : r.store->runs()) ids.push_back(std::to_string(run.id));
    throw UsageError(fmt::format("--run: no run with id {} in {} (runs: {})", *q.run_id, r.path,
                                 ids.empty() ? "none" : join(ids, ", ")));
  }
  for (auto& run : r.store->runs()) {
    if (q.run_id && run.id != *q.run_id) continue;
    if (!q.backend.empty() && run.fingerprint.backend != q.backend) continue;
    r.run_list.push_back(std::move(run));
  }
  r.counts = r.store->trial_counts();
  for (const auto& run : r.run_list) {
    const auto count = r.counts.find(run.id);
    r.runs.push_back(stored_run_json(run, count == r.counts.end() ? 0 : count->second));
  }
  return r;
}

}  // namespace

void report_stored_trials(const ResultsQuery& q, Printer& printer) {
  const TrialFilter filter{q.backend, q.candidates, q.problem, parse_verdict_list(q.verdicts), q.run_id};
  OpenedResults r = open_results(q);
  nlohmann::json opening = document_header();
  opening["runs"] = std::move(r.runs);
  printer.begin(ReportBegin{std::move(opening), {}, {}});
  std::map<Verdict, size_t> counts;
  size_t total = 0;
  for (const auto& t : r.store->trials(filter)) {
    printer.trial(to_reported(t, r.path));
    ++counts[t.result.verdict];
    ++total;
  }
  std::string summary = fmt::format("{} trial(s) in {}:", total, r.path);
  for (const auto& [verdict, n] : counts) summary += fmt::format("  {} {}", to_string(verdict), n);
  printer.end(ReportEnd{{summary}, {}, nullptr});
}

void list_stored_runs(const ResultsQuery& q, const std::string& json_path) {
  (void)parse_verdict_list(q.verdicts);  // a bad --verdict is bad input even when only runs are listed
  OpenedResults r = open_results(q);
  if (json_path != "-") print_run_table(stdout, r.run_list, r.counts);
  if (json_path.empty()) return;
  nlohmann::json doc = document_header();
  doc["runs"] = std::move(r.runs);
  write_json_output(json_path, doc);
}

}  // namespace convprobe
