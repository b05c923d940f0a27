// Schema versions and migrations: the step list is applied in order, inside one transaction, and a database
// from before a step is brought up to date on open.
#include "store/store_schema.hpp"

#include <gtest/gtest.h>

#include <array>

#include "convprobe/problem.hpp"
#include "store/sqlite_handle.hpp"
#include "store_fixtures.hpp"

namespace convprobe::test {
namespace {

using store_detail::apply_migrations;
using store_detail::Db;
using store_detail::kSchemaVersion;
using store_detail::MigrationStep;
using store_detail::WriteTransaction;

/// The real steps plus fake ones after them.
std::vector<MigrationStep> steps_with(std::initializer_list<MigrationStep> extra) {
  auto real = store_detail::migration_steps();
  std::vector<MigrationStep> steps(real.begin(), real.end());
  steps.insert(steps.end(), extra);
  return steps;
}

/// What initialization leaves behind before any step: our application id and a meta table at version 0.
void create_version_zero_db(const std::string& path) {
  RawDb raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ASSERT_EQ(
      raw.exec(fmt::format("PRAGMA application_id = {}; CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT "
                           "NOT NULL); INSERT INTO meta VALUES ('schema_version', '0')",
                           store_detail::kApplicationId)),
      SQLITE_OK);
}

TEST(CPU_StoreSchema, StepsAreNumberedConsecutivelyUpToTheCurrentVersion) {
  int expected = 1;
  for (const auto& step : store_detail::migration_steps()) EXPECT_EQ(step.to_version, expected++);
  EXPECT_EQ(expected - 1, kSchemaVersion);
}

TEST(CPU_StoreSchema, VersionZeroDatabaseIsMigratedOnOpen) {
  ScratchDir dir;
  const std::string path = dir.file("v0.db");
  create_version_zero_db(path);
  {
    auto store = Store::open(path);
    const int64_t run = store->begin_run(sample_fingerprint(), false);
    store->add_trial(run, sample_problem(), "fault", sample_candidate("ok"), sample_result(Verdict::pass),
                     "r");
    EXPECT_EQ(store->trials({}).size(), 1u);
  }
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(kSchemaVersion));
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
}

TEST(CPU_StoreSchema, VersionOneRowsGainLaunchesAsUnknown) {
  ScratchDir dir;
  const std::string path = dir.file("v1.db");
  create_version_zero_db(path);
  {
    Db db(path, SQLITE_OPEN_READWRITE, 1000);
    const std::array first_step{store_detail::migration_steps()[0]};
    WriteTransaction txn(db);
    apply_migrations(db, first_step, 1);
    txn.commit();
  }
  {
    RawDb raw(path, SQLITE_OPEN_READWRITE);
    ASSERT_EQ(
        raw.exec("INSERT INTO runs VALUES (1, 'id', '{}', 'fault', '2026-11-25T00:00:00Z', 'cmd');"
                 "INSERT INTO trials (run_id, problem, problem_label, backend, candidate, family, notes, "
                 "attrs_json, verdict, detail, phase, time_median_ms, time_min_ms, time_max_ms, "
                 "time_repeats, workspace_bytes, verify_json, device, attempt, wall_ms, repro, "
                 "finished_at) VALUES (1, 'mb1ic3ih8oc4kh3', '', 'fault', 'fault.ok', 'fault', '', "
                 "'{}', 'PASS', '', 'done', 0.5, 0.4, 0.6, 5, 0, '{}', 'cpu', 1, 3.0, 'r', "
                 "'2026-11-25T00:00:01Z')"),
        SQLITE_OK);
  }
  auto store = Store::open(path);
  const auto trials = store->trials({});
  ASSERT_EQ(trials.size(), 1u);
  ASSERT_TRUE(trials[0].result.time.has_value());
  EXPECT_EQ(trials[0].result.time->repeats, 5);
  EXPECT_EQ(trials[0].result.time->launches, 0);  // unknown before version 2
  EXPECT_EQ(RawDb(path).scalar("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(kSchemaVersion));
}

TEST(CPU_StoreSchema, ReadOnlyOpenOfAnOlderSchemaAsksForAMigration) {
  ScratchDir dir;
  const std::string path = dir.file("v0.db");
  create_version_zero_db(path);
  const std::string bytes = file_bytes(path);
  StoreOptions read_only;
  read_only.read_only = true;
  try {
    auto store = Store::open(path, read_only);
    ADD_FAILURE() << "opened an old schema read-only";
  } catch (const StoreError& e) {
    EXPECT_TRUE(contains(e.what(), "has schema 0"));
    EXPECT_TRUE(contains(e.what(), "to migrate it"));
  }
  EXPECT_EQ(file_bytes(path), bytes);
}

// Schema 3: keys stored under the old own-axis rule (sw, pw repeat sh, ph even with iw and kw given) are
// rewritten to today's canonical key of the same problem; other keys stay as they are.
TEST(CPU_StoreSchema, VersionTwoProblemKeysKeepTheirMeaning) {
  ScratchDir dir;
  const std::string path = dir.file("v2.db");
  create_version_zero_db(path);
  {
    Db db(path, SQLITE_OPEN_READWRITE, 1000);
    WriteTransaction txn(db);
    apply_migrations(db, store_detail::migration_steps(), 2);
    txn.commit();
  }
  const std::string old_key = "ic16ih15iw10oc8kh6kw3sh2ph3";
  const std::string plain_key = "mb1ic3ih32oc64kh3ph1";
  {
    RawDb raw(path, SQLITE_OPEN_READWRITE);
    std::string sql = "INSERT INTO runs VALUES (1, 'id', '{}', 'fault', '2026-11-25T00:00:00Z', 'cmd');";
    for (const auto* k : {old_key.c_str(), old_key.c_str(), plain_key.c_str()}) {
      sql += fmt::format(
          "INSERT INTO trials (run_id, problem, problem_label, backend, candidate, family, notes, "
          "attrs_json, "
          "verdict, detail, phase, workspace_bytes, verify_json, device, attempt, repro, finished_at) VALUES "
          "(1, '{}', '', 'fault', 'fault.ok', 'fault', '', '{{}}', 'PASS', '', 'done', 0, '{{}}', 'cpu', 1, "
          "'r', '2026-11-25T00:00:01Z');",
          k);
    }
    ASSERT_EQ(raw.exec(sql), SQLITE_OK);
  }
  const std::string bytes = file_bytes(path);
  StoreOptions read_only;
  read_only.read_only = true;
  try {
    auto store = Store::open(path, read_only);
    ADD_FAILURE() << "opened schema 2 read-only";
  } catch (const StoreError& e) {
    EXPECT_TRUE(contains(e.what(), "has schema 2"));
    EXPECT_TRUE(contains(e.what(), "to migrate it"));
  }
  EXPECT_EQ(file_bytes(path), bytes);

  { auto store = Store::open(path); }
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(kSchemaVersion));
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM trials WHERE problem = '" + old_key + "'"), "0");
  EXPECT_EQ(raw.scalar("SELECT count(DISTINCT problem) FROM trials WHERE id IN (1, 2)"), "1");
  const std::string new_key = raw.scalar("SELECT problem FROM trials WHERE id = 1");
  EXPECT_NE(new_key, old_key);
  Problem p;
  std::string err;
  ASSERT_TRUE(parse_problem(new_key, &p, &err)) << err;
  EXPECT_EQ(p.stride, (std::array<int64_t, 3>{1, 2, 2})) << new_key;
  EXPECT_EQ(p.pad_begin, (std::array<int64_t, 3>{0, 3, 3})) << new_key;
  EXPECT_EQ(p.pad_end, (std::array<int64_t, 3>{0, 3, 3})) << new_key;
  EXPECT_EQ(key(p), new_key);
  EXPECT_EQ(raw.scalar("SELECT problem FROM trials WHERE id = 3"), plain_key);
}

TEST(CPU_StoreSchema, FakeNextStepIsAppliedAndRecorded) {
  ScratchDir dir;
  const std::string path = dir.file("results.db");
  { auto store = Store::open(path); }
  Db db(path, SQLITE_OPEN_READWRITE, 1000);
  const auto steps =
      steps_with({{kSchemaVersion + 1, "fake: trials.extra", "ALTER TABLE trials ADD COLUMN extra TEXT"}});
  WriteTransaction txn(db);
  apply_migrations(db, steps, kSchemaVersion + 1);
  txn.commit();
  EXPECT_EQ(store_detail::stored_schema_version(db), kSchemaVersion + 1);
  EXPECT_EQ(RawDb(path).scalar("SELECT count(*) FROM pragma_table_info('trials') WHERE name = 'extra'"), "1");
}

TEST(CPU_StoreSchema, FailingStepLeavesTheDatabaseAsItWas) {
  ScratchDir dir;
  const std::string path = dir.file("results.db");
  { auto store = Store::open(path); }
  Db db(path, SQLITE_OPEN_READWRITE, 1000);
  const auto steps =
      steps_with({{kSchemaVersion + 1, "fake: trials.extra", "ALTER TABLE trials ADD COLUMN extra TEXT"},
                  {kSchemaVersion + 2, "fake: broken", "ALTER TABLE no_such_table ADD COLUMN y"}});
  {
    WriteTransaction txn(db);
    try {
      apply_migrations(db, steps, kSchemaVersion + 2);
      ADD_FAILURE() << "a broken step was applied";
    } catch (const StoreError& e) {
      EXPECT_TRUE(contains(e.what(), "migrating to schema"));
      EXPECT_TRUE(contains(e.what(), "fake: broken"));
    }
  }  // no commit: rolled back
  EXPECT_EQ(store_detail::stored_schema_version(db), kSchemaVersion);
  EXPECT_EQ(RawDb(path).scalar("SELECT count(*) FROM pragma_table_info('trials') WHERE name = 'extra'"), "0");
}

TEST(CPU_StoreSchema, MissingStepIsAnError) {
  ScratchDir dir;
  const std::string path = dir.file("results.db");
  { auto store = Store::open(path); }
  Db db(path, SQLITE_OPEN_READWRITE, 1000);
  const auto steps = steps_with({{kSchemaVersion + 2, "fake: skips a version", "SELECT 1"}});
  WriteTransaction txn(db);
  try {
    apply_migrations(db, steps, kSchemaVersion + 2);
    ADD_FAILURE() << "a gap in the steps went unnoticed";
  } catch (const StoreError& e) {
    EXPECT_TRUE(contains(
        e.what(), fmt::format("no migration from schema {} to {}", kSchemaVersion, kSchemaVersion + 1)));
  }
}

TEST(CPU_StoreSchema, DamagedMetaTableIsReported) {
  ScratchDir dir;
  const std::string path = dir.file("results.db");
  { auto store = Store::open(path); }
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("UPDATE meta SET value = 'one' WHERE key = 'schema_version'"), SQLITE_OK);
  }
  try {
    auto store = Store::open(path);
    ADD_FAILURE() << "opened a database with a non-numeric schema version";
  } catch (const StoreError& e) {
    EXPECT_TRUE(contains(e.what(), "schema_version is 'one'"));
  }
}

}  // namespace
}  // namespace convprobe::test
