// Opening the store: creation, reopening, and every file it must refuse without touching it (issue 4:
// "a locked, corrupt or foreign database file -> clear error, exit 1, file untouched").
#include <gtest/gtest.h>

#include <random>

#include "store/store_schema.hpp"
#include "store_fixtures.hpp"

namespace convprobe::test {
namespace {

/// Opens `path` expecting a StoreError; returns its message ("" and a failure when it opened).
std::string open_error(const std::string& path, const StoreOptions& options = {}) {
  try {
    auto store = Store::open(path, options);
  } catch (const StoreError& e) {
    return e.what();
  }
  ADD_FAILURE() << "Store::open(" << path << ") succeeded";
  return "";
}

std::string random_bytes(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::string bytes(n, '\0');
  for (char& ch : bytes) ch = static_cast<char>(gen() & 0xff);
  return bytes;
}

TEST(CPU_StoreOpen, CreatesAConvprobeDatabaseInWalMode) {
  ScratchDir dir;
  const std::string path = dir.file("results.db");
  { auto store = Store::open(path); }
  ASSERT_TRUE(std::filesystem::exists(path));
  RawDb raw(path);
  EXPECT_EQ(raw.scalar("PRAGMA application_id"), std::to_string(store_detail::kApplicationId));
  EXPECT_EQ(raw.scalar("SELECT value FROM meta WHERE key = 'schema_version'"),
            std::to_string(store_detail::kSchemaVersion));
  EXPECT_FALSE(raw.scalar("SELECT value FROM meta WHERE key = 'created_at'").empty());
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_schema WHERE name IN ('runs', 'trials')"), "2");
}

TEST(CPU_StoreOpen, ReopenSeesEarlierTrials) {
  ScratchDir dir;
  const std::string path = dir.file("results.db");
  {
    auto store = Store::open(path);
    const int64_t run = store->begin_run(sample_fingerprint(), false);
    store->add_trial(run, sample_problem(), "fault", sample_candidate("ok"), sample_result(Verdict::pass),
                     "r");
  }
  auto store = Store::open(path);
  ASSERT_EQ(store->trials({}).size(), 1u);
  EXPECT_EQ(store->runs().size(), 1u);
}

TEST(CPU_StoreOpen, EmptyFileBecomesADatabase) {
  ScratchDir dir;
  const std::string path = dir.file("touched.db");
  write_bytes(path, "");
  auto store = Store::open(path);
  EXPECT_TRUE(store->trials({}).empty());
  EXPECT_EQ(RawDb(path).scalar("PRAGMA application_id"), std::to_string(store_detail::kApplicationId));
}

TEST(CPU_StoreOpen, MissingDirectoryIsNamedNotCreated) {
  ScratchDir dir;
  const std::string path = dir.file("no/such/dir/results.db");
  const std::string error = open_error(path);
  EXPECT_TRUE(contains(error, dir.file("no/such/dir")));
  EXPECT_TRUE(contains(error, "does not exist"));
  EXPECT_FALSE(std::filesystem::exists(dir.file("no")));

  StoreOptions create_dirs;
  create_dirs.create_parent_dir = true;
  auto store = Store::open(path, create_dirs);
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(CPU_StoreOpen, DirectoryIsRefused) {
  ScratchDir dir;
  EXPECT_TRUE(contains(open_error(dir.file("")), "is a directory"));
}

TEST(CPU_StoreOpen, ReadOnlyNeverCreates) {
  ScratchDir dir;
  const std::string path = dir.file("absent.db");
  StoreOptions read_only;
  read_only.read_only = true;
  EXPECT_TRUE(contains(open_error(path, read_only), "no results database at " + path));
  StoreOptions no_create;
  no_create.create = false;
  EXPECT_TRUE(contains(open_error(path, no_create), "no results database at " + path));
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(CPU_StoreOpen, ReadOnlyStoreReadsButRefusesWrites) {
  ScratchDir dir;
  const std::string path = dir.file("results.db");
  {
    auto store = Store::open(path);
    store->begin_run(sample_fingerprint(), false);
  }
  StoreOptions read_only;
  read_only.read_only = true;
  auto store = Store::open(path, read_only);
  EXPECT_EQ(store->runs().size(), 1u);
  EXPECT_THROW(store->begin_run(sample_fingerprint(), false), StoreError);
}

TEST(CPU_StoreOpen, RandomBytesAreNotADatabaseAndStayUntouched) {
  ScratchDir dir;
  for (uint32_t seed : {1u, 2u, 3u}) {
    const std::string path = dir.file("random" + std::to_string(seed) + ".db");
    const std::string bytes = random_bytes(8192, seed);
    write_bytes(path, bytes);
    const std::string error = open_error(path);
    EXPECT_TRUE(contains(error, path + " is not a SQLite database or is corrupt"));
    EXPECT_EQ(file_bytes(path), bytes) << "the file was modified";
  }
}

TEST(CPU_StoreOpen, TextFileIsNotADatabaseAndStaysUntouched) {
  ScratchDir dir;
  const std::string path = dir.file("notes.txt");
  const std::string text = "# my notes, not a database\n" + std::string(600, 'x') + "\n";
  write_bytes(path, text);
  EXPECT_TRUE(contains(open_error(path), "is not a SQLite database or is corrupt"));
  EXPECT_EQ(file_bytes(path), text);
}

TEST(CPU_StoreOpen, DamagedHeaderIsCorruptAndStaysUntouched) {
  ScratchDir dir;
  const std::string path = dir.file("results.db");
  { auto store = Store::open(path); }
  std::string bytes = file_bytes(path);
  ASSERT_GT(bytes.size(), 100u);
  bytes.replace(0, 16, "NOT SQLITE AT A");  // the "SQLite format 3\0" magic
  write_bytes(path, bytes);
  EXPECT_TRUE(contains(open_error(path), "is not a SQLite database or is corrupt"));
  EXPECT_EQ(file_bytes(path), bytes);
}

TEST(CPU_StoreOpen, ForeignSqliteDatabaseIsRefusedAndStaysUntouched) {
  ScratchDir dir;
  const std::string path = dir.file("other.db");
  {
    RawDb raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_EQ(raw.exec("CREATE TABLE foo (x INTEGER); CREATE TABLE bar (y TEXT); INSERT INTO foo VALUES (1)"),
              SQLITE_OK);
  }
  const std::string bytes = file_bytes(path);
  const std::string error = open_error(path);
  EXPECT_TRUE(contains(error, path + " is not a convprobe database"));
  EXPECT_TRUE(contains(error, "application_id 0x00000000"));
  EXPECT_TRUE(contains(error, "tables: bar, foo"));
  EXPECT_EQ(file_bytes(path), bytes);
}

TEST(CPU_StoreOpen, OtherApplicationIdIsRefusedEvenWithoutTables) {
  ScratchDir dir;
  const std::string path = dir.file("other.db");
  {
    RawDb raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_EQ(raw.exec("PRAGMA application_id = 1234; CREATE TABLE t (x); DROP TABLE t"), SQLITE_OK);
  }
  const std::string bytes = file_bytes(path);
  const std::string error = open_error(path);
  EXPECT_TRUE(contains(error, "is not a convprobe database (application_id 0x000004d2"));
  EXPECT_TRUE(contains(error, "tables: none"));
  EXPECT_EQ(file_bytes(path), bytes);
}

TEST(CPU_StoreOpen, NewerSchemaIsRefusedAndStaysUntouched) {
  ScratchDir dir;
  const std::string path = dir.file("future.db");
  { auto store = Store::open(path); }
  {
    RawDb raw(path);
    ASSERT_EQ(raw.exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'"), SQLITE_OK);
  }
  const std::string bytes = file_bytes(path);
  EXPECT_TRUE(contains(open_error(path), fmt::format("created by a newer convprobe (schema 99 > {})",
                                                     store_detail::kSchemaVersion)));
  EXPECT_EQ(file_bytes(path), bytes);
}

TEST(CPU_StoreOpen, DatabaseHeldExclusivelyByAnotherConnectionIsLocked) {
  ScratchDir dir;
  const std::string path = dir.file("busy.db");
  { auto store = Store::open(path); }
  const std::string bytes = file_bytes(path);
  // The other process: exclusive locking mode keeps its lock after the transaction, so even readers wait.
  RawDb other(path);
  ASSERT_EQ(
      other.exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; INSERT INTO meta VALUES ('x', 'y')"),
      SQLITE_OK);
  StoreOptions quick;
  quick.busy_timeout_ms = 100;
  EXPECT_TRUE(contains(open_error(path, quick), path + ": database is locked by another process"));
  EXPECT_EQ(file_bytes(path), bytes);
}

TEST(CPU_StoreOpen, WriterHoldingTheLockMakesTheFirstWriteFailAfterTheDefaultTimeout) {
  ScratchDir dir;
  const std::string path = dir.file("busy.db");
  auto store = Store::open(path);
  const std::string bytes = file_bytes(path);
  RawDb other(path);
  ASSERT_EQ(other.exec("BEGIN IMMEDIATE; INSERT INTO meta VALUES ('x', 'y')"), SQLITE_OK);
  // WAL lets readers through: opening and reading still work while another process writes...
  EXPECT_TRUE(store->trials({}).empty());
  // ...but a write waits for the busy timeout (2 s by default) and then says who is in the way.
  try {
    store->begin_run(sample_fingerprint(), false);
    ADD_FAILURE() << "begin_run succeeded while another connection held the write lock";
  } catch (const StoreError& e) {
    EXPECT_TRUE(contains(e.what(), "database is locked by another process"));
  }
  EXPECT_EQ(file_bytes(path), bytes);
  // A viewer (`results`) opened now still reads what was committed before.
  StoreOptions read_only;
  read_only.read_only = true;
  EXPECT_TRUE(Store::open(path, read_only)->runs().empty());
  ASSERT_EQ(other.exec("ROLLBACK"), SQLITE_OK);
  EXPECT_GT(store->begin_run(sample_fingerprint(), false), 0);  // usable again once the other one is done
}

}  // namespace
}  // namespace convprobe::test
