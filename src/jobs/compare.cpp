#include "jobs/compare.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <memory>

#include "base/text.hpp"
#include "jobs/compare_fingerprint.hpp"
#include "jobs/compare_input.hpp"
#include "jobs/compare_match.hpp"
#include "jobs/usage_error.hpp"
#include "report/compare_output.hpp"
#include "store/results_db.hpp"

namespace convprobe {

namespace {

struct LoadedRun {
  ComparedRun run;
  std::vector<StoredTrial> trials;
};

std::string run_ids(Store& store) {
  std::vector<std::string> ids;
  for (const auto& run : store.runs()) ids.push_back(std::to_string(run.id));
  return join_for_message(ids);
}

/// The run an operand names: the one given, or the latest run that holds trials.
StoredRun pick_run(Store& store, const RunOperand& op, const std::string& path, const char* which) {
  if (op.run_id) {
    if (auto run = store.run(*op.run_id)) return *run;
    throw UsageError(
        fmt::format("{} '{}': no run {} in {} (runs: {}; see `convprobe results --runs --db {}`)", which,
                    op.text, *op.run_id, path, run_ids(store), path));
  }
  const auto counts = store.trial_counts();
  if (counts.empty()) throw UsageError(fmt::format("{} '{}': {} holds no trials", which, op.text, path));
  return *store.run(counts.rbegin()->first);
}

LoadedRun load_run(const std::string& text, const std::string& db_option, const char* which) {
  const RunOperand op = parse_run_operand(text, which);
  // A file named as an operand must be there; a missing --db database gets the readers' usual message.
  std::error_code ec;
  if (!op.db.empty() && !std::filesystem::exists(op.db, ec)) {
    throw UsageError(
        fmt::format("{} '{}': no results database at {}; expected RUN_ID (a run of the --db "
                    "database), FILE (its latest run) or FILE:RUN_ID",
                    which, text, op.db));
  }
  const std::string path = op.db.empty() ? locate_results_db(db_option).path : op.db;
  const std::unique_ptr<Store> store = open_results_for_reading(op.db.empty() ? db_option : op.db);
  LoadedRun loaded;
  loaded.run.operand = text;
  loaded.run.db_path = path;
  loaded.run.run = pick_run(*store, op, path, which);
  TrialFilter filter;
  filter.run_id = loaded.run.run.id;
  loaded.trials = store->trials(filter);
  return loaded;
}

}  // namespace

Comparison compare_runs(const CompareOptions& o) {
  check_alpha(o.settings.alpha);
  LoadedRun a = load_run(o.a, o.db_path, "A");
  LoadedRun b = load_run(o.b, o.db_path, "B");
  Comparison c = compare_trials(a.trials, b.trials, o.settings);
  c.fingerprint = fingerprint_changes(a.run.run.fingerprint, b.run.run.fingerprint);
  c.a = std::move(a.run);
  c.b = std::move(b.run);
  c.a.trials = a.trials.size();
  c.b.trials = b.trials.size();
  return c;
}

size_t run_compare(const CompareOptions& o) {
  if (o.json_path == "-" && o.markdown_path == "-") {
    throw UsageError("--json - and --markdown - both ask for stdout; send one of them to a file");
  }
  const Comparison c = compare_runs(o);
  if (o.json_path != "-" && o.markdown_path != "-") print_comparison_table(stdout, c);
  if (!o.json_path.empty()) write_comparison_json(o.json_path, c);
  if (!o.markdown_path.empty()) write_comparison_markdown(o.markdown_path, c);
  return c.regressions();
}

}  // namespace convprobe
