// Schema 4 (issue 17): every timed sample of a trial is stored, in the order taken, so that `convprobe
// compare` can test two runs' times; a database written before keeps its rows (no samples), and a schema-3
// file is read as it is by read-only commands, without migrating it.
#include <gtest/gtest.h>

#include <cmath>

#include "core/json_io.hpp"
#include "store/sqlite_handle.hpp"
#include "store/store_schema.hpp"
#include "store_fixtures.hpp"

namespace convprobe::test {
namespace {

using store_detail::Db;
using store_detail::WriteTransaction;

constexpr const char* kInsertV3Trial =
    "INSERT INTO runs VALUES (1, 'id', '{}', 'fault', '2026-11-25T00:00:00Z', 'cmd');"
    "INSERT INTO trials (run_id, problem, problem_label, backend, candidate, family, notes, attrs_json, "
    "verdict, detail, phase, time_median_ms, time_min_ms, time_max_ms, time_repeats, workspace_bytes, "
    "verify_json, device, attempt, wall_ms, repro, finished_at, time_launches) VALUES (1, "
    "'mb1ic3ih8oc4kh3', '', 'fault', 'fault.ok', 'fault', '', '{}', 'PASS', '', 'done', 0.5, 0.4, 0.6, 5, 0, "
    "'{}', 'cpu', 1, 3.0, 'r', '2026-11-25T00:00:01Z', 8)";

/// A database at schema 3 with one timed trial, as convprobe wrote it before samples were kept.
void create_version_three_db(const std::string& path) {
  {
    RawDb raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_EQ(raw.exec(fmt::format("PRAGMA application_id = {}; CREATE TABLE meta (key TEXT PRIMARY KEY, "
                                   "value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '0')",
                                   store_detail::kApplicationId)),
              SQLITE_OK);
  }
  {
    Db db(path, SQLITE_OPEN_READWRITE, 1000);
    WriteTransaction txn(db);
    apply_migrations(db, store_detail::migration_steps(), 3);
    txn.commit();
  }
  RawDb raw(path, SQLITE_OPEN_READWRITE);
  ASSERT_EQ(raw.exec(kInsertV3Trial), SQLITE_OK);
}

TEST(CPU_StoreSamples, EverySampleRoundTripsInTheOrderTaken) {
  ScratchDir dir;
  const std::string path = dir.file("samples.db");
  TrialResult r = sample_result(Verdict::pass);
  r.time = summarize_samples({1.5, 1.25, 1.0, std::nan(""), 2.0});
  {
    auto store = Store::open(path);
    const int64_t run = store->begin_run(sample_fingerprint(), false);
    store->add_trial(run, sample_problem(), "fault", sample_candidate("a"), r, "repro");
    store->add_trial(run, sample_problem(), "fault", sample_candidate("b"), sample_result(Verdict::crash),
                     "r");
  }
  auto store = Store::open(path);
  const auto trials = store->trials({});
  ASSERT_EQ(trials.size(), 2u);
  ASSERT_TRUE(trials[0].result.time.has_value());
  const std::vector<double>& got = trials[0].result.time->samples_ms;
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0], 1.5);
  EXPECT_EQ(got[1], 1.25);
  EXPECT_EQ(got[2], 1.0);
  EXPECT_TRUE(std::isnan(got[3]));  // stored as null
  EXPECT_EQ(got[4], 2.0);
  EXPECT_EQ(RawDb(path).scalar("SELECT time_samples_json FROM trials WHERE id = 1"),
            "[1.5,1.25,1.0,null,2.0]");
  EXPECT_EQ(RawDb(path).scalar("SELECT count(*) FROM trials WHERE time_samples_json IS NULL"), "1");
}

TEST(CPU_StoreSamples, SamplesCrossTheWorkerPipe) {
  TrialResult r = sample_result(Verdict::pass);
  r.time = summarize_samples({0.3, 0.1, 0.2});
  const TrialResult back = trial_result_from_json(to_json(r));
  ASSERT_TRUE(back.time.has_value());
  EXPECT_EQ(back.time->samples_ms, (std::vector<double>{0.3, 0.1, 0.2}));
  EXPECT_EQ(back.time->median_ms, 0.2);
  // A result from a worker that does not send samples reads as none.
  EXPECT_TRUE(trial_result_from_json(nlohmann::json::parse(R"({"verdict":"PASS","time_ms":{"median":1}})"))
                  .time->samples_ms.empty());
}

TEST(CPU_StoreSamples, ASchemaThreeFileIsReadAsItIsAndMigratedOnWrite) {
  ScratchDir dir;
  const std::string path = dir.file("v3.db");
  create_version_three_db(path);
  const std::string bytes = file_bytes(path);
  {
    StoreOptions read_only;
    read_only.read_only = true;
    auto store = Store::open(path, read_only);
    const auto trials = store->trials({});
    ASSERT_EQ(trials.size(), 1u);
    ASSERT_TRUE(trials[0].result.time.has_value());
    EXPECT_EQ(trials[0].result.time->repeats, 5);
    EXPECT_TRUE(trials[0].result.time->samples_ms.empty());
  }
  EXPECT_EQ(file_bytes(path), bytes);  // read, never migrated

  { auto store = Store::open(path); }
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(store_detail::kSchemaVersion));
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM trials WHERE time_samples_json IS NULL AND time_repeats = 5"),
            "1");
}

}  // namespace
}  // namespace convprobe::test
