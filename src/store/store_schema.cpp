#include "store/store_schema.hpp"

#include <fmt/core.h>

#include <array>
#include <charconv>
#include <string>
#include <vector>

#include "base/text.hpp"
#include "convprobe/problem.hpp"
#include "problem/descriptor_parse.hpp"
#include "store/store_time.hpp"

namespace convprobe::store_detail {

namespace {

// Version 1. Main trial fields are real columns so `results` and policies filter in SQL; the few structured
// ones (candidate attrs, verify) are JSON text with the field names of docs/json-schema.md.
// No foreign-key enforcement: a trial row is inserted only with a run id this store returned.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE runs (
  id               INTEGER PRIMARY KEY,
  identity         TEXT NOT NULL,   -- Fingerprint::identity(): equal identities = comparable results
  fingerprint_json TEXT NOT NULL,   -- the whole Fingerprint (host, devices, versions, env, command line)
  backend          TEXT NOT NULL,
  started_at       TEXT NOT NULL,   -- ISO 8601 UTC
  command_line     TEXT NOT NULL
);
CREATE INDEX runs_by_identity ON runs(identity);

CREATE TABLE trials (
  id               INTEGER PRIMARY KEY,
  run_id           INTEGER NOT NULL REFERENCES runs(id),
  problem          TEXT NOT NULL,   -- canonical key (descriptor without label)
  problem_label    TEXT NOT NULL,
  backend          TEXT NOT NULL,
  candidate        TEXT NOT NULL,   -- candidate id
  family           TEXT NOT NULL,
  notes            TEXT NOT NULL,
  attrs_json       TEXT NOT NULL,   -- {"key": "value", ...}
  verdict          TEXT NOT NULL,   -- PASS, MISMATCH, ... (to_string(Verdict))
  detail           TEXT NOT NULL,
  phase            TEXT NOT NULL,
  time_median_ms   REAL,            -- the four time_ columns are NULL when the trial was not timed
  time_min_ms      REAL,
  time_max_ms      REAL,
  time_repeats     INTEGER,
  rel_err          REAL,            -- NULL when not computed (or not finite)
  workspace_bytes  INTEGER NOT NULL,
  verify_json      TEXT NOT NULL,   -- {"sampled","points","seed","threshold","math"}
  device           TEXT NOT NULL,
  attempt          INTEGER NOT NULL,
  wall_ms          REAL,            -- NULL when not finite
  repro            TEXT NOT NULL,
  finished_at      TEXT NOT NULL
);
CREATE INDEX trials_by_key ON trials(problem, backend, candidate);
CREATE INDEX trials_by_run ON trials(run_id);
CREATE INDEX trials_by_verdict ON trials(verdict);
)sql";

// Version 2: how many times each timed candidate was launched (Timing::launches), so that a sweep's
// overhead over its candidates' own kernel time (median x launches) can be computed from the store. NULL in
// rows written before it (unknown, not zero).
constexpr std::string_view kSchemaV2 = "ALTER TABLE trials ADD COLUMN time_launches INTEGER;";

// Version 3: the parser reads an axis with its own input and kernel keys (`iw10kw3`) as benchdnn does, a
// missing stride, dilation or padding taking the default instead of the parent axis's value; a key stored
// before (`ic16ih15iw10oc8kh6kw3sh2ph3`, meaning sw2 pw3) would now name another problem. Each stored key is
// read with the old rule and replaced by today's canonical key of that problem; a key the old rule refuses
// is left as it is.
void rewrite_problem_keys_v3(Db& db) {
  std::vector<std::string> stored;
  {
    auto stmt = db.prepare("SELECT DISTINCT problem FROM trials");
    while (stmt.step("listing the stored problem keys")) stored.push_back(stmt.text_at(0));
  }
  for (const std::string& old_key : stored) {
    Problem p;
    std::string err;
    if (!parse_descriptor_with_rule(old_key, OwnAxisRule::copy_parent, &p, &err)) continue;
    const std::string new_key = key(p);
    if (new_key == old_key) continue;
    db.prepare("UPDATE trials SET problem = ? WHERE problem = ?")
        .bind(1, new_key)
        .bind(2, old_key)
        .run(fmt::format("rewriting the problem key '{}' as '{}'", old_key, new_key));
  }
}

// Version 4: every timed sample of a trial (Timing::samples_ms, in the order taken) as a JSON array of ms, so
// that `convprobe compare` can test whether two runs' times differ rather than only compare medians. NULL in
// rows written before it (and in untimed trials); a reader of a schema-3 file takes the column as NULL
// without migrating (kOldestReadableSchema).
constexpr std::string_view kSchemaV4 = "ALTER TABLE trials ADD COLUMN time_samples_json TEXT;";

constexpr std::array kSteps{
    MigrationStep{1, "runs and trials tables", kSchemaV1},
    MigrationStep{2, "trials.time_launches", kSchemaV2},
    MigrationStep{3, "problem keys of an axis with its own input and kernel keys", "",
                  rewrite_problem_keys_v3},
    MigrationStep{4, "trials.time_samples_json", kSchemaV4},
};

std::vector<std::string> user_tables(Db& db) {
  auto stmt = db.prepare(
      "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE "
      "'\\' ORDER BY name");
  std::vector<std::string> names;
  while (stmt.step("listing tables")) names.push_back(stmt.text_at(0));
  return names;
}

int32_t application_id(Db& db) {
  auto stmt = db.prepare("PRAGMA application_id");
  if (!stmt.step("reading the application id")) return 0;
  return static_cast<int32_t>(stmt.int64_at(0));
}

void set_schema_version(Db& db, int version) {
  db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)")
      .bind(1, std::to_string(version))
      .run("recording the schema version");
}

// Version 0: the file says it is ours (application_id, meta table) and nothing else exists yet.
void initialize(Db& db) {
  db.exec(fmt::format("PRAGMA application_id = {}", kApplicationId), "setting the application id");
  db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)", "creating the meta table");
  set_schema_version(db, 0);
  db.prepare("INSERT INTO meta(key, value) VALUES ('created_at', ?), ('created_by', ?)")
      .bind(1, utc_now_iso8601())
      .bind(2, std::string("convprobe ") + CONVPROBE_VERSION)
      .run("initializing the meta table");
}

}  // namespace

std::span<const MigrationStep> migration_steps() { return kSteps; }

int stored_schema_version(Db& db) {
  auto stmt = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  if (!stmt.step("reading the schema version")) {
    throw StoreError(
        fmt::format("{}: damaged convprobe database: meta table has no schema_version", db.path()));
  }
  const std::string text = stmt.text_at(0);
  int version = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || end != text.data() + text.size() || version < 0) {
    throw StoreError(fmt::format(
        "{}: damaged convprobe database: schema_version is '{}', expected a number >= 0", db.path(), text));
  }
  return version;
}

SchemaState inspect_schema(Db& db) {
  // Reading the application id is the first access to the file: a non-SQLite or corrupt file fails here.
  const int32_t app_id = application_id(db);
  const std::vector<std::string> tables = user_tables(db);
  if (app_id == 0 && tables.empty()) return SchemaState{true, 0};
  if (app_id != kApplicationId) {
    throw StoreError(
        fmt::format("{} is not a convprobe database (application_id {:#010x}, expected {:#010x}; "
                    "tables: {}); pass another --db file",
                    db.path(), static_cast<uint32_t>(app_id), static_cast<uint32_t>(kApplicationId),
                    join_for_message(tables)));
  }
  bool has_meta = false;
  for (const auto& t : tables) has_meta = has_meta || t == "meta";
  if (!has_meta) {
    throw StoreError(
        fmt::format("{}: damaged convprobe database: convprobe's application_id but no meta table "
                    "(tables: {})",
                    db.path(), join_for_message(tables)));
  }
  const int version = stored_schema_version(db);
  if (version > kSchemaVersion) {
    throw StoreError(
        fmt::format("{} was created by a newer convprobe (schema {} > {}); upgrade convprobe to use it",
                    db.path(), version, kSchemaVersion));
  }
  return SchemaState{false, version};
}

void apply_migrations(Db& db, std::span<const MigrationStep> steps, int target) {
  int version = stored_schema_version(db);
  for (const auto& step : steps) {
    if (step.to_version <= version || step.to_version > target) continue;
    if (step.to_version != version + 1) {
      throw StoreError(fmt::format("{}: no migration from schema {} to {} (next step is '{}' to {})",
                                   db.path(), version, version + 1, step.description, step.to_version));
    }
    const std::string what = fmt::format("migrating to schema {} ({})", step.to_version, step.description);
    if (!step.sql.empty()) db.exec(step.sql, what);
    if (step.rewrite != nullptr) step.rewrite(db);
    set_schema_version(db, step.to_version);
    version = step.to_version;
  }
  if (version < target) {
    throw StoreError(fmt::format("{}: no migration from schema {} to {}", db.path(), version, target));
  }
}

void bring_up_to_date(Db& db) {
  WriteTransaction txn(db);
  // Re-inspect under the write lock: another process may have created or migrated the file meanwhile.
  const SchemaState state = inspect_schema(db);
  if (!state.fresh && state.version == kSchemaVersion) return;  // nothing to do; rollback is a no-op
  if (state.fresh) initialize(db);
  apply_migrations(db, migration_steps(), kSchemaVersion);
  txn.commit();
}

}  // namespace convprobe::store_detail
