// One rule for the results database across commands (issue 13, item 5), through the binary: writers (sweep,
// run, bisect) create the default folder on a fresh machine and refuse a folder the user named that is not
// there; readers (results, policy, verify) report a missing database with one exit code (2) and one message,
// and never create or change the file.
#include <gtest/gtest.h>

#include <fstream>

#include "store/store.hpp"
#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

constexpr const char* kBisect =
    "bisect -b fault --candidate 'fault.error@hw>40' --from mb1ic3ih32oc64kh3ph1 --axis hw --to 48 "
    "--spot-checks 0 --repeats 1 --warmup 0 -q";

::testing::AssertionResult has(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "missing '" << part << "' in: " << text;
}

/// `convprobe ARGS` on a fresh machine: HOME is `home` (which need not exist), no $CONVPROBE_DB, and
/// $XDG_DATA_HOME only when `xdg` is given.
CommandResult run_fresh(const std::filesystem::path& home, const std::string& args,
                        const std::string& xdg = "") {
  const std::string env = "env -u CONVPROBE_DB -u XDG_DATA_HOME HOME=" + home.string() +
                          (xdg.empty() ? "" : " XDG_DATA_HOME=" + xdg) + " ";
  return run_shell(env + convprobe_bin() + " " + args);
}

size_t stored_runs(const std::string& db) {
  StoreOptions read_only;
  read_only.read_only = true;
  return Store::open(db, read_only)->runs().size();
}

/// A miopen-env profile: it names no problems, so verify needs the database for them.
std::string profile_in(const std::filesystem::path& dir) {
  const std::string path = (dir / "convprobe.sh").string();
  std::ofstream(path) << "export MIOPEN_DEBUG_CONV_GEMM=0\n";
  return path;
}

TEST(CPU_CliResultsDb, BisectWithoutDbCreatesTheDefaultFolderOnAFreshMachine) {
  const auto dir = temp_dir("db-fresh-bisect");
  const auto r = run_fresh(dir / "home", kBisect);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto db = dir / "home/.local/share/convprobe/results.db";
  ASSERT_TRUE(std::filesystem::exists(db)) << r.out;
  EXPECT_EQ(stored_runs(db.string()), 1u);

  const auto xdg = run_fresh(dir / "home2", kBisect, (dir / "xdg").string());
  ASSERT_EQ(xdg.exit_code, 0) << xdg.out << xdg.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "xdg/convprobe/results.db"));
  EXPECT_FALSE(std::filesystem::exists(dir / "home2"));
}

TEST(CPU_CliResultsDb, WritersRefuseAFolderTheUserNamedThatIsNotThere) {
  const auto dir = temp_dir("db-typo-folder");
  const std::string db = (dir / "typo/r.db").string();
  for (const std::string& args : {"run mb1ic3ih8oc8kh3ph1 -b fault --candidates fault.ok --db " + db,
                                  "sweep --preset gfx1010-sizes -b fault --candidates fault.ok --db " + db,
                                  std::string(kBisect) + " --db " + db}) {
    SCOPED_TRACE(args);
    const auto r = run_convprobe(args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_TRUE(has(r.err, "convprobe: error: cannot create results database " + db +
                               " (given with --db): directory " + (dir / "typo").string() +
                               " does not exist; create it first, or leave out --db to use the default"));
    EXPECT_FALSE(std::filesystem::exists(dir / "typo"));
  }
}

TEST(CPU_CliResultsDb, ReadersReportAMissingDatabaseWithOneCodeAndOneMessage) {
  const auto dir = temp_dir("db-missing-readers");
  const std::string db = (dir / "missing.db").string();
  const std::string expected = "convprobe: error: no results database at " + db +
                               " (given with --db); create it by storing results there, e.g. `convprobe "
                               "sweep --preset gfx1010-quick -b onednn --db " +
                               db + "` (or run, bisect)\n";
  for (const std::string& args :
       {"results --db " + db, "results --runs --db " + db, "policy --emit convprobe --db " + db,
        "verify --policy " + profile_in(dir) + " --db " + db}) {
    SCOPED_TRACE(args);
    const auto r = run_convprobe(args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(r.err, expected);
    EXPECT_FALSE(std::filesystem::exists(db));
  }
}

TEST(CPU_CliResultsDb, ReadersReportAMissingDefaultDatabaseAlikeAndCreateNothing) {
  const auto dir = temp_dir("db-missing-default");
  const auto home = dir / "home";
  const std::string expected =
      "convprobe: error: no results database at " + (home / ".local/share/convprobe/results.db").string() +
      " (the default location); create it by storing results there, e.g. `convprobe sweep --preset "
      "gfx1010-quick -b onednn` (or run, bisect)\n";
  for (const std::string& args : {std::string("results"), std::string("policy --emit convprobe"),
                                  "verify --policy " + profile_in(dir)}) {
    SCOPED_TRACE(args);
    const auto r = run_fresh(home, args);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(r.err, expected);
    EXPECT_FALSE(std::filesystem::exists(home));
  }
}

TEST(CPU_CliResultsDb, ReadersLeaveTheDatabaseByteForByte) {
  const auto dir = temp_dir("db-readers-untouched");
  const std::string db = (dir / "r.db").string();
  const auto run = run_convprobe(
      "run mb1ic3ih8oc8kh3ph1 -b fault --candidates fault.ok,fault.nan -q "
      "--repeats 1 --warmup 0 --db " +
      db);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string before = read_file(db);
  EXPECT_EQ(run_convprobe("results --db " + db).exit_code, 0);
  const auto policy =
      run_convprobe("policy --emit convprobe --db " + db + " -o " + (dir / "p.json").string());
  EXPECT_EQ(policy.exit_code, 0) << policy.err;
  EXPECT_EQ(read_file(db), before);
  EXPECT_EQ(stored_runs(db), 1u);
}

TEST(CPU_CliResultsDb, ReadingCommandsDocumentTheExitCode) {
  for (const char* command : {"results", "policy", "verify"}) {
    SCOPED_TRACE(command);
    const auto r = run_convprobe(std::string(command) + " --help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(has(r.out, "2 bad usage or input, including a results database that does not exist"));
    EXPECT_TRUE(has(r.out, "Missing: exit 2"));  // on --db
  }
}

}  // namespace
}  // namespace convprobe::test
