// `policy --emit miopen-finddb` through the binary, from a stored MIOpen run (issue 15, item 3): GEMM keeps
// the shape where it passed and is fastest, the shape where it hangs gets the direct solver, a shape where
// nothing passed gets no record; the user's find-db is merged into (foreign lines kept, backup made), found
// by name, by `auto` and by MIOpen's log; bad input exits 2 and changes no file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>

#include "store/store.hpp"
#include "support/run_command.hpp"
#include "vendor/miopen_finddb_file.hpp"
#include "vendor/miopen_lock.hpp"

namespace convprobe::test {
namespace {

namespace fs = std::filesystem;

const std::string kSmallKey = "3-32-32-3x3-64-32-32-1-1x1-1x1-1x1-0-NCHW-FP32-F";
const std::string kBigKey = "3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-F";
const std::string kFindDbName = "gfx1010_18.HIP.2_17_0_abc123.ufdb.txt";

Candidate solver(int id, const std::string& name, const std::string& family) {
  Candidate c;
  c.id = "miopen." + std::to_string(id) + "." + name;
  c.family = family;
  c.attrs = {{"solver_id", std::to_string(id)}, {"solver_name", name}, {"listing", "forced"}};
  return c;
}

TrialResult verdict(Verdict v, double ms = 0) {
  TrialResult r;
  r.verdict = v;
  if (ms > 0) r.time = Timing{ms, ms, ms, 5};
  return r;
}

/// The gfx1010 story in a results database, run by MIOpen `version`.
std::string stored_run(const fs::path& dir, const std::string& version = "MIOpen 2.17.0") {
  const std::string db = (dir / "runs.db").string();
  auto store = Store::open(db);
  Fingerprint fp;
  fp.backend = "miopen";
  fp.backend_version = version;
  fp.devices = {"gfx1010"};
  const int64_t run = store->begin_run(fp, false);
  auto add = [&](const std::string& descriptor, const Candidate& c, const TrialResult& r) {
    Problem p;
    std::string err;
    ASSERT_TRUE(parse_problem(descriptor, &p, &err)) << err;
    store->add_trial(run, p, "miopen", c, r, "repro");
  };
  const Candidate gemm = solver(91, "GemmFwdRest", "gemm"), direct = solver(11, "ConvOclDirectFwd", "direct");
  const Candidate naive = solver(87, "ConvDirectNaiveConvBwd", "direct");
  add("mb1ic3ih32oc64kh3ph1", gemm, verdict(Verdict::pass, 1.0));
  add("mb1ic3ih32oc64kh3ph1", direct, verdict(Verdict::pass, 2.0));
  add("mb1ic3ih44oc64kh3ph1", gemm, verdict(Verdict::hang));
  add("mb1ic3ih44oc64kh3ph1", direct, verdict(Verdict::pass, 2.5));
  add("bwdd_mb1ic3ih64oc64kh3ph1", gemm, verdict(Verdict::hang));
  add("bwdd_mb1ic3ih64oc64kh3ph1", naive, verdict(Verdict::failed));
  return db;
}

/// convprobe with MIOpen's folders and the lock folder inside `dir`.
CommandResult run_in(const fs::path& dir, const std::string& args) {
  fs::create_directories(dir / "tmp");
  return run_shell("env MIOPEN_USER_DB_PATH=" + (dir / "miopen").string() +
                   " TMPDIR=" + (dir / "tmp").string() + " " + convprobe_bin() + " " + args);
}

::testing::AssertionResult has(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "missing '" << part << "' in: " << text;
}

TEST(CPU_CliPolicyFindDb, PrintsTheRecordsGemmKeptWhereItPassed) {
  const auto dir = temp_dir("finddb-print");
  const std::string db = stored_run(dir);
  const auto r = run_in(dir, "policy --db " + db + " --emit miopen-finddb");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out,
            kSmallKey +
                "=miopenConvolutionFwdAlgoGEMM:GemmFwdRest,1,0,miopenConvolutionFwdAlgoGEMM,<unused>\n" +
                kBigKey +
                "=miopenConvolutionFwdAlgoDirect:ConvOclDirectFwd,2.5,0,miopenConvolutionFwdAlgoDirect,"
                "<unused>\n");
  EXPECT_TRUE(has(r.err, "MIOpen 2.17.0 reads find-db format 1.0: 2 record(s), 1 problem(s) without one"));
  EXPECT_TRUE(has(r.err, "no record for bwdd_mb1ic3ih64oc64kh3ph1: no candidate passed every trial"));
  EXPECT_FALSE(has(r.err, "blocked miopen.91"));  // GEMM is not blocked anywhere by this format
  fs::remove_all(dir);
}

TEST(CPU_CliPolicyFindDb, MergesIntoTheUserFindDbWithABackup) {
  const auto dir = temp_dir("finddb-merge");
  const std::string db = stored_run(dir, "MIOpen 2.20.0");  // ROCm 5.6: format 2.0
  fs::create_directories(dir / "miopen");
  const std::string finddb = (dir / "miopen" / "gfx1010_18.HIP.2_20_0_abc123.ufdb.txt").string();
  const std::string foreign = "9-9-9-1x1-9-9-9-1-0x0-1x1-1x1-0-NCHW-FP32-F=GemmFwd1x1_0_1:0.1,0,x\n" +
                              kBigKey + "=GemmFwdRest:0.9,0,miopenConvolutionFwdAlgoGEMM\nnot a record\n";
  std::ofstream(finddb, std::ios::binary) << foreign;
  const auto r = run_in(dir, "policy --db " + db + " --emit miopen-finddb --finddb auto --json");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["finddb_format"], "2.0");
  EXPECT_EQ(doc["file"], finddb);
  EXPECT_EQ(doc["written"], true);
  ASSERT_EQ(doc["records"].size(), 2u);
  EXPECT_EQ(doc["records"][0]["change"], "added");
  EXPECT_EQ(doc["records"][1]["change"], "replaced");
  EXPECT_EQ(doc["records"][1]["replaced_line"], kBigKey + "=GemmFwdRest:0.9,0,miopenConvolutionFwdAlgoGEMM");
  EXPECT_EQ(doc["skipped"][0]["problem"], "bwdd_mb1ic3ih64oc64kh3ph1");
  ASSERT_TRUE(doc["backup"].is_string());
  EXPECT_EQ(read_file(doc["backup"].get<std::string>()), foreign);
  EXPECT_EQ(read_file(finddb), "9-9-9-1x1-9-9-9-1-0x0-1x1-1x1-0-NCHW-FP32-F=GemmFwd1x1_0_1:0.1,0,x\n" +
                                   kBigKey +
                                   "=ConvOclDirectFwd:2.5,0,miopenConvolutionFwdAlgoDirect\nnot a record\n" +
                                   kSmallKey + "=GemmFwdRest:1,0,miopenConvolutionFwdAlgoGEMM\n");
  EXPECT_TRUE(fs::exists(doc["lock"].get<std::string>()));

  // The same again: nothing to change, no second backup.
  const auto again = run_in(dir, "policy --db " + db + " --emit miopen-finddb --finddb " + finddb);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_TRUE(has(again.out, "nothing to change: 0 added, 0 replaced, 2 unchanged"));
  size_t backups = 0;
  for (const auto& e : fs::directory_iterator(dir / "miopen"))
    backups += e.path().string().find("backup") != std::string::npos;
  EXPECT_EQ(backups, 1u);
  fs::remove_all(dir);
}

// --finddb-by: without a MIOpen here the default is convprobe's merge (said on stderr), and asking for
// MIOpen's own writes is exit 2 with the file unchanged. (MIOpen writing them: tests/backends/miopen.)
TEST(CPU_CliPolicyFindDb, WithoutMiopenHereConvprobeWritesTheRecords) {
  const auto dir = temp_dir("finddb-by");
  const std::string db = stored_run(dir);
  fs::create_directories(dir / "miopen");
  const std::string finddb = (dir / "miopen" / kFindDbName).string();
  fs::create_directories(dir / "tmp");
  const std::string no_rocm =
      "env -u CONVPROBE_MIOPEN_TEST_DOUBLE -u CONVPROBE_MIOPEN_LIB -u CONVPROBE_HIP_LIB "
      "ROCM_PATH=/nonexistent-rocm TMPDIR=" +
      (dir / "tmp").string() + " ";
  const auto by_miopen = run_shell(no_rocm + convprobe_bin() + " policy --db " + db +
                                   " --emit miopen-finddb --finddb " + finddb + " --finddb-by miopen");
  EXPECT_EQ(by_miopen.exit_code, 2) << by_miopen.out << by_miopen.err;
  EXPECT_TRUE(has(by_miopen.err, "--finddb-by miopen: MIOpen cannot write them here"));
  EXPECT_FALSE(fs::exists(finddb));
  const auto by_default = run_shell(no_rocm + convprobe_bin() + " policy --db " + db +
                                    " --emit miopen-finddb --finddb " + finddb);
  EXPECT_EQ(by_default.exit_code, 0) << by_default.out << by_default.err;
  EXPECT_TRUE(has(by_default.err, "records written by convprobe (--finddb-by convprobe)"));
  EXPECT_TRUE(has(read_file(finddb), kSmallKey + "=miopenConvolutionFwdAlgoGEMM:GemmFwdRest,1,0,"));
  fs::remove_all(dir);
}

TEST(CPU_CliPolicyFindDb, FindsTheFileInMiopensLogAndDryRunChangesNothing) {
  const auto dir = temp_dir("finddb-log");
  const std::string db = stored_run(dir);
  const std::string finddb = (dir / "miopen" / kFindDbName).string();
  const std::string log = (dir / "miopen.log").string();
  std::ofstream(log)
      << "MIOpen(HIP): Info2 [FindRecordUnsafe] Looking for key " << kBigKey << " in file "
      << (dir / "miopen").string() << "//" << kFindDbName << "\n"
      << "MIOpen(HIP): Info2 [FindRecordUnsafe] Looking for key 1-1-1-1x1-1-1-1-1-0x0-1x1-1x1-0-NCHW-"
         "FP32-F in file "
      << (dir / "miopen").string() << "//" << kFindDbName << "\n";
  const auto dry =
      run_in(dir, "policy --db " + db + " --emit miopen-finddb --finddb-log " + log + " --dry-run");
  ASSERT_EQ(dry.exit_code, 0) << dry.out << dry.err;
  EXPECT_TRUE(has(dry.out, "(new file)"));
  EXPECT_TRUE(has(dry.out, "dry run, nothing written: 2 added"));
  EXPECT_TRUE(has(dry.out, "MIOpen's log looked up 2 key(s) in this file: 1 have a record, 1 have none"));
  EXPECT_FALSE(fs::exists(dir / "miopen"));

  const auto r = run_in(dir, "policy --db " + db + " --emit miopen-finddb --finddb-log " + log);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "written: 2 added, 0 replaced"));
  EXPECT_TRUE(has(r.out, "  added     mb1ic3ih44oc64kh3ph1 -> ConvOclDirectFwd 2.5 ms"));
  EXPECT_EQ(read_file(finddb).substr(0, kSmallKey.size()), kSmallKey);
  fs::remove_all(dir);
}

TEST(CPU_CliPolicyFindDb, BadInputExits2AndChangesNoFile) {
  const auto dir = temp_dir("finddb-bad");
  const std::string db = stored_run(dir);
  fs::create_directories(dir / "miopen");
  const std::string other_version = (dir / "miopen" / "gfx1010_18.HIP.2_19_0_abc.ufdb.txt").string();
  std::ofstream(other_version) << "a=b\n";
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"--finddb " + other_version, "is MIOpen 2.19.0's, but the verdicts come from MIOpen 2.17.0"},
      {"--finddb " + (dir / "miopen" / "records.txt").string(), "is not a MIOpen user find-db's"},
      {"--finddb auto", "no user find-db file(s) *.HIP.2_17_0_*.ufdb.txt for MIOpen 2.17.0"},
      {"--finddb-log " + (dir / "missing.log").string(), "cannot read the file"},
      {"-o " + other_version, "-o would overwrite the file"},
      {"--finddb auto --finddb-log x", "give one of them"},
  };
  for (const auto& c : cases) {
    const auto r = run_in(dir, "policy --db " + db + " --emit miopen-finddb " + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.out << r.err;
    EXPECT_TRUE(has(r.err, c.message)) << c.args;
  }
  const auto env = run_in(dir, "policy --db " + db + " --emit miopen-env --finddb auto");
  EXPECT_EQ(env.exit_code, 2);
  EXPECT_TRUE(has(env.err, "go with --emit miopen-finddb"));
  EXPECT_EQ(read_file(other_version), "a=b\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "miopen"), fs::directory_iterator()), 1);

  const auto unknown_dir = dir / "unknown";
  fs::create_directories(unknown_dir);
  const auto unknown = run_in(
      dir, "policy --db " + stored_run(unknown_dir, "MIOpen (version unknown)") + " --emit miopen-finddb");
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out << unknown.err;
  EXPECT_TRUE(has(unknown.err, "backend version is 'MIOpen (version unknown)'"));
  fs::remove_all(dir);
}

TEST(CPU_CliPolicyFindDb, WaitsForMiopensLockThenExits2) {
  const auto dir = temp_dir("finddb-lock");
  const std::string db = stored_run(dir);
  fs::create_directories(dir / "miopen");
  fs::create_directories(dir / "tmp");
  const std::string finddb = (dir / "miopen" / kFindDbName).string();
  std::ofstream(finddb) << "a=b\n";
  const std::string lock =
      miopen::lock_file_path(finddb, [&](const std::string& v) -> std::optional<std::string> {
        return v == "TMPDIR" ? std::optional<std::string>((dir / "tmp").string()) : std::nullopt;
      });
  fs::create_directories(fs::path(lock).parent_path());
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t holder = ::fork();
  if (holder == 0) {  // a MIOpen process holding its lock (boost file_lock: a process-owned fcntl lock)
    const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT, 0666);
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
  const auto r =
      run_in(dir, "policy --db " + db + " --emit miopen-finddb --finddb " + finddb + " --lock-timeout 0.3");
  ::kill(holder, SIGKILL);
  ::waitpid(holder, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  ASSERT_EQ(ok, '1');
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(has(r.err, "is still held after 300 ms"));
  EXPECT_EQ(read_file(finddb), "a=b\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "miopen"), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace convprobe::test
