// Writing into a find-db (vendor/miopen_finddb_write.hpp): foreign lines survive, the old file is backed up
// under a new name every time, a held lock or a file that is no find-db leaves everything as it was.
#include "vendor/miopen_finddb_write.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "support/run_command.hpp"
#include "vendor/miopen_lock.hpp"

namespace convprobe::miopen {
namespace {

namespace fs = std::filesystem;

const FindDbRecord kGemm{"3-32-32-3x3-64-32-32-1-1x1-1x1-1x1-0-NCHW-FP32-F",
                         {"GemmFwdRest", "miopenConvolutionFwdAlgoGEMM", 1.0, 0}};
const FindDbRecord kDirect{"3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-F",
                           {"ConvOclDirectFwd", "miopenConvolutionFwdAlgoDirect", 2.5, 0}};

struct Fixture {
  fs::path dir;
  std::string db;
  FindDbWriteOptions options;
  explicit Fixture(const std::string& name) : dir(test::temp_dir(name)) {
    db = (dir / "gfx1010_18.HIP.2_17_0_abc.ufdb.txt").string();
    const std::string tmp = (dir / "tmp").string();
    fs::create_directories(tmp);
    options.env = [tmp](const std::string& var) -> std::optional<std::string> {
      return var == "TMPDIR" ? std::optional<std::string>(tmp) : std::nullopt;
    };
    options.backup_stamp = "20261205T101500Z";
    options.lock_timeout = std::chrono::milliseconds(150);
  }
  ~Fixture() { fs::remove_all(dir); }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;
};

TEST(FindDbWrite, NewFileGetsTheRecordsAndNoBackup) {
  Fixture f("finddb-new");
  const auto r = write_finddb(f.db, {kGemm, kDirect}, FindDbFormat::v1_0, f.options);
  EXPECT_TRUE(r.written);
  EXPECT_FALSE(r.existed);
  EXPECT_EQ(r.backup_path, "");
  EXPECT_EQ(test::read_file(f.db),
            finddb_line(kGemm, FindDbFormat::v1_0) + "\n" + finddb_line(kDirect, FindDbFormat::v1_0) + "\n");
  EXPECT_TRUE(fs::exists(r.lock_path)) << r.lock_path;
  EXPECT_EQ(fs::path(r.lock_path).parent_path(), f.dir / "tmp" / "miopen-lockfiles");
}

TEST(FindDbWrite, MergesKeepsForeignLinesAndBacksUpUnderANewNameEachTime) {
  Fixture f("finddb-merge");
  const std::string old =
      "# not MIOpen's\nforeign-key=miopenConvolutionFwdAlgoGEMM:GemmFwd1x1_0_1,0.1,0,x,<unused>\n" +
      kDirect.key + "=miopenConvolutionFwdAlgoGEMM:GemmFwdRest,9,0,x,<unused>\nno newline";
  std::ofstream(f.db, std::ios::binary) << old;
  ::chmod(f.db.c_str(), 0640);
  const auto r = write_finddb(f.db, {kDirect, kGemm}, FindDbFormat::v1_0, f.options);
  ASSERT_TRUE(r.written);
  EXPECT_EQ(r.backup_path, f.db + ".convprobe-backup-20261205T101500Z");
  EXPECT_EQ(test::read_file(r.backup_path), old);
  EXPECT_EQ(r.changes, (std::vector<RecordChange>{RecordChange::replaced, RecordChange::added}));
  const std::string expected =
      "# not MIOpen's\nforeign-key=miopenConvolutionFwdAlgoGEMM:GemmFwd1x1_0_1,0.1,0,x,<unused>\n" +
      finddb_line(kDirect, FindDbFormat::v1_0) + "\nno newline\n" + finddb_line(kGemm, FindDbFormat::v1_0) +
      "\n";
  EXPECT_EQ(test::read_file(f.db), expected);
  struct stat st {};
  ASSERT_EQ(::stat(f.db.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);  // the user's mode survives the rename

  // Another change with the same stamp: a second backup, the first one untouched.
  const FindDbRecord faster{kGemm.key, {"GemmFwdRest", "miopenConvolutionFwdAlgoGEMM", 0.5, 0}};
  const auto again = write_finddb(f.db, {faster}, FindDbFormat::v1_0, f.options);
  EXPECT_EQ(again.backup_path, f.db + ".convprobe-backup-20261205T101500Z-2");
  EXPECT_EQ(test::read_file(r.backup_path), old);
  EXPECT_EQ(test::read_file(again.backup_path), expected);
  // Nothing to change: no write, no backup.
  const auto same = write_finddb(f.db, {faster}, FindDbFormat::v1_0, f.options);
  EXPECT_FALSE(same.written);
  EXPECT_EQ(same.backup_path, "");
  EXPECT_EQ(same.changes[0], RecordChange::unchanged);
  EXPECT_FALSE(fs::exists(f.db + ".convprobe-backup-20261205T101500Z-3"));
}

TEST(FindDbWrite, ASymbolicLinkStaysOneAndNoRecordsMakeNoFile) {
  Fixture f("finddb-symlink");
  const std::string real = (f.dir / "real.ufdb.txt").string();
  std::ofstream(real, std::ios::binary) << "a=b\n";
  fs::create_symlink(real, f.db);
  const auto r = write_finddb(f.db, {kGemm}, FindDbFormat::v1_0, f.options);
  EXPECT_TRUE(fs::is_symlink(f.db));
  EXPECT_EQ(test::read_file(real), "a=b\n" + finddb_line(kGemm, FindDbFormat::v1_0) + "\n");
  EXPECT_EQ(test::read_file(r.backup_path), "a=b\n");
  const std::string absent = (f.dir / "gfx1010_18.HIP.2_17_0_new.ufdb.txt").string();
  EXPECT_FALSE(write_finddb(absent, {}, FindDbFormat::v1_0, f.options).written);
  EXPECT_FALSE(fs::exists(absent));
}

TEST(FindDbWrite, DryRunTouchesNothing) {
  Fixture f("finddb-dry");
  std::ofstream(f.db, std::ios::binary) << "a=b\n";
  f.options.dry_run = true;
  const auto r = write_finddb(f.db, {kGemm}, FindDbFormat::v2_0, f.options);
  EXPECT_FALSE(r.written);
  EXPECT_EQ(r.changes[0], RecordChange::added);
  EXPECT_EQ(test::read_file(f.db), "a=b\n");
  EXPECT_FALSE(fs::exists(r.lock_path));
  EXPECT_EQ(std::distance(fs::directory_iterator(f.dir), fs::directory_iterator()), 2);  // db and tmp/
}

TEST(FindDbWrite, HeldLockTimesOutAndLeavesTheFileAlone) {
  Fixture f("finddb-locked");
  std::ofstream(f.db, std::ios::binary) << "a=b\n";
  const std::string lock = lock_file_path(f.db, f.options.env);
  { DbWriteLock create(lock, std::chrono::milliseconds(100)); }
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t holder = ::fork();
  if (holder == 0) {  // a MIOpen process writing: boost's file_lock, an fcntl lock owned by the process
    const int fd = ::open(lock.c_str(), O_RDWR);
    struct flock l {};
    l.l_type = F_WRLCK;
    l.l_whence = SEEK_SET;
    const char ok = fd >= 0 && ::fcntl(fd, F_SETLK, &l) == 0 ? '1' : '0';
    (void)!::write(ready[1], &ok, 1);
    ::pause();
    ::_exit(0);
  }
  char ok = '0';
  ASSERT_EQ(::read(ready[0], &ok, 1), 1);
  ASSERT_EQ(ok, '1');
  try {
    (void)write_finddb(f.db, {kGemm}, FindDbFormat::v1_0, f.options);
    ADD_FAILURE() << "wrote under MIOpen's lock";
  } catch (const FindDbError& e) {
    EXPECT_NE(std::string(e.what()).find(lock), std::string::npos) << e.what();
  }
  ::kill(holder, SIGKILL);
  ::waitpid(holder, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  EXPECT_EQ(test::read_file(f.db), "a=b\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(f.dir), fs::directory_iterator()), 2);  // no backup, no temp
}

TEST(FindDbWrite, RefusesAFileThatIsNoFindDb) {
  Fixture f("finddb-sqlite");
  const std::string sqlite("SQLite format 3\0\x10\x00", 18);
  std::ofstream(f.db, std::ios::binary) << sqlite;
  try {
    (void)write_finddb(f.db, {kGemm}, FindDbFormat::v1_0, f.options);
    ADD_FAILURE() << "rewrote an SQLite file";
  } catch (const FindDbError& e) {
    EXPECT_NE(std::string(e.what()).find("is not a text find-db (it is an SQLite database"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(test::read_file(f.db), sqlite);
}

TEST(FindDbWrite, RefusesAFolderThatIsAFile) {
  Fixture f("finddb-notafolder");
  std::ofstream(f.dir / "file") << "x";
  try {
    (void)write_finddb((f.dir / "file" / "gfx1010_18.HIP.2_17_0_abc.ufdb.txt").string(), {kGemm},
                       FindDbFormat::v1_0, f.options);
    ADD_FAILURE() << "wrote under a file";
  } catch (const FindDbError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot create the find-db's folder"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(test::read_file(f.dir / "file"), "x");
}

TEST(FindDbWrite, RefusesAFolderItCannotWrite) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes in any folder";
  Fixture f("finddb-readonly");
  const fs::path ro = f.dir / "ro";
  fs::create_directories(ro);
  const std::string db = (ro / "gfx1010_18.HIP.2_17_0_abc.ufdb.txt").string();
  std::ofstream(db) << "a=b\n";
  ::chmod(ro.c_str(), 0555);
  try {
    (void)write_finddb(db, {kGemm}, FindDbFormat::v1_0, f.options);
    ADD_FAILURE() << "wrote in a read-only folder";
  } catch (const FindDbError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot write in the find-db's folder"), std::string::npos)
        << e.what();
  }
  ::chmod(ro.c_str(), 0755);
  EXPECT_EQ(test::read_file(db), "a=b\n");
}

}  // namespace
}  // namespace convprobe::miopen
