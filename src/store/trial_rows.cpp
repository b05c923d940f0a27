#include "store/trial_rows.hpp"

#include <fmt/core.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/json_io.hpp"
#include "store/store_schema.hpp"
#include "store/store_time.hpp"

namespace convprobe::store_detail {

namespace {

using nlohmann::json;

constexpr std::string_view kColumns =
    "run_id, problem, problem_label, backend, candidate, family, notes, attrs_json, verdict, detail, phase, "
    "time_median_ms, time_min_ms, time_max_ms, time_repeats, rel_err, workspace_bytes, verify_json, device, "
    "attempt, wall_ms, repro, finished_at, time_launches, time_samples_json";
constexpr int kColumnCount = 25;

/// The columns a SELECT reads from a file of `schema_version`: a schema-3 file has no samples column, which
/// then reads as NULL (store_schema.hpp, kOldestReadableSchema).
std::string select_columns(int schema_version) {
  std::string columns(kColumns);
  if (schema_version < kSamplesSchema) {
    columns.replace(columns.rfind("time_samples_json"), std::string_view("time_samples_json").size(), "NULL");
  }
  return columns;
}

// Worker output can carry invalid UTF-8; JSON text must not stop a trial from being stored.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json verify_to_json(const VerifyInfo& v) {
  return json{{"sampled", v.sampled},
              {"points", v.points},
              {"seed", v.seed},
              {"threshold", std::isfinite(v.threshold) ? json(v.threshold) : json(nullptr)},
              {"math", v.math}};
}

VerifyInfo verify_from_json(const json& j) {
  VerifyInfo v;
  v.sampled = j.value("sampled", false);
  v.points = j.value("points", int64_t{0});
  v.seed = j.value("seed", uint64_t{0});
  const auto threshold = j.find("threshold");
  v.threshold = (threshold != j.end() && threshold->is_number()) ? threshold->get<double>()
                                                                 : std::numeric_limits<double>::quiet_NaN();
  v.math = j.value("math", std::string());
  return v;
}

/// NaN has no SQLite form (it would be stored as NULL anyway): say so explicitly.
void bind_real(Stmt& stmt, int index, double value) {
  if (std::isnan(value)) {
    stmt.bind_null(index);
  } else {
    stmt.bind(index, value);
  }
}

double real_at(const Stmt& stmt, int column) {
  return stmt.is_null(column) ? std::numeric_limits<double>::quiet_NaN() : stmt.double_at(column);
}

[[noreturn]] void damaged_row(const Db& db, int64_t id, std::string_view field, const std::string& value) {
  throw StoreError(fmt::format("{}: trial {} has an unknown {} '{}' (written by another convprobe version?)",
                               db.path(), id, field, value));
}

StoredTrial read_row(const Db& db, const Stmt& row) {
  // Column 0 is the id, then kColumns in order.
  StoredTrial t;
  t.id = row.int64_at(0);
  t.run_id = row.int64_at(1);
  t.problem = row.text_at(2);
  t.problem_label = row.text_at(3);
  t.backend = row.text_at(4);
  t.candidate.id = row.text_at(5);
  t.candidate.family = row.text_at(6);
  t.candidate.notes = row.text_at(7);
  try {
    t.candidate.attrs = json::parse(row.text_at(8)).get<std::map<std::string, std::string>>();
    t.result.verify = verify_from_json(json::parse(row.text_at(18)));
  } catch (const json::exception& e) {
    throw StoreError(fmt::format("{}: trial {} has damaged JSON: {}", db.path(), t.id, e.what()));
  }
  TrialResult& r = t.result;
  if (!verdict_from_string(row.text_at(9), &r.verdict)) damaged_row(db, t.id, "verdict", row.text_at(9));
  r.detail = row.text_at(10);
  if (!phase_from_string(row.text_at(11), &r.phase)) damaged_row(db, t.id, "phase", row.text_at(11));
  if (!row.is_null(15)) {
    r.time = Timing{real_at(row, 12), real_at(row, 13), real_at(row, 14), static_cast<int>(row.int64_at(15)),
                    row.is_null(24) ? 0 : row.int64_at(24)};
    try {
      if (!row.is_null(25)) r.time->samples_ms = samples_from_json(json::parse(row.text_at(25)));
    } catch (const json::exception& e) {
      throw StoreError(fmt::format("{}: trial {} has damaged samples: {}", db.path(), t.id, e.what()));
    }
  }
  r.rel_err = row.is_null(16) ? -1 : row.double_at(16);
  r.workspace_bytes = row.int64_at(17);
  r.device = row.text_at(19);
  r.attempt = static_cast<int>(row.int64_at(20));
  r.wall_ms = real_at(row, 21);
  t.repro = row.text_at(22);
  t.finished_at = row.text_at(23);
  return t;
}

}  // namespace

int64_t insert_trial(Db& db, int64_t run_id, const Problem& problem, const std::string& backend,
                     const Candidate& candidate, const TrialResult& result, const std::string& repro) {
  std::string placeholders;
  for (int i = 0; i < kColumnCount; ++i) placeholders += i ? ", ?" : "?";
  auto insert = db.prepare(fmt::format("INSERT INTO trials ({}) VALUES ({})", kColumns, placeholders));
  const TrialResult& r = result;
  insert.bind(1, run_id)
      .bind(2, key(problem))
      .bind(3, problem.label)
      .bind(4, backend)
      .bind(5, candidate.id)
      .bind(6, candidate.family)
      .bind(7, candidate.notes)
      .bind(8, dump(json(candidate.attrs)))
      .bind(9, to_string(r.verdict))
      .bind(10, r.detail)
      .bind(11, to_string(r.phase));
  if (r.time) {
    bind_real(insert, 12, r.time->median_ms);
    bind_real(insert, 13, r.time->min_ms);
    bind_real(insert, 14, r.time->max_ms);
    insert.bind(15, r.time->repeats);
  } else {
    for (int i = 12; i <= 15; ++i) insert.bind_null(i);
  }
  if (r.rel_err >= 0) {
    bind_real(insert, 16, r.rel_err);
  } else {
    insert.bind_null(16);  // -1 (or NaN): not computed
  }
  insert.bind(17, r.workspace_bytes)
      .bind(18, dump(verify_to_json(r.verify)))
      .bind(19, r.device)
      .bind(20, r.attempt);
  bind_real(insert, 21, r.wall_ms);
  insert.bind(22, repro).bind(23, utc_now_iso8601());
  if (r.time) {
    insert.bind(24, r.time->launches);
  } else {
    insert.bind_null(24);
  }
  if (r.time && !r.time->samples_ms.empty()) {
    insert.bind(25, dump(samples_to_json(r.time->samples_ms)));
  } else {
    insert.bind_null(25);
  }
  insert.run("storing a trial");
  return db.last_insert_rowid();
}

std::vector<StoredTrial> select_trials(Db& db, const TrialFilter& filter, int schema_version) {
  std::string where = " WHERE 1";
  if (!filter.backend.empty()) where += " AND backend = ?";
  if (filter.run_id) where += " AND run_id = ?";
  if (!filter.verdicts.empty()) {
    where += " AND verdict IN (";
    for (size_t i = 0; i < filter.verdicts.size(); ++i) where += i ? ", ?" : "?";
    where += ")";
  }
  auto stmt = db.prepare(
      fmt::format("SELECT id, {} FROM trials{} ORDER BY id", select_columns(schema_version), where));
  int index = 1;
  if (!filter.backend.empty()) stmt.bind(index++, filter.backend);
  if (filter.run_id) stmt.bind(index++, *filter.run_id);
  for (Verdict v : filter.verdicts) stmt.bind(index++, to_string(v));

  std::vector<StoredTrial> out;
  while (stmt.step("reading trials")) {
    StoredTrial t = read_row(db, stmt);
    if (!matches_any(filter.candidate_glob, t.candidate.id)) continue;
    if (!filter.problem_glob.empty() && !glob_match(filter.problem_glob, t.problem) &&
        !glob_match(filter.problem_glob, t.problem_label)) {
      continue;
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace convprobe::store_detail
