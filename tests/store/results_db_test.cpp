// The one rule for finding and opening the results database (store/results_db.hpp): writers create the
// default folder but never a folder the user named; readers never create, migrate or write, and report a
// missing file with one message (issue 13, item 5).
#include "store/results_db.hpp"

#include <gtest/gtest.h>

#include "store_fixtures.hpp"

namespace convprobe::test {
namespace {

template <typename Open>
std::string location_error(Open open) {
  try {
    (void)open();
  } catch (const DbLocationError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no DbLocationError";
  return "";
}

/// HOME in a scratch directory, with no $CONVPROBE_DB or $XDG_DATA_HOME: a fresh machine's defaults.
class CPU_ResultsDb : public ::testing::Test {
 protected:
  ScratchDir dir_;
  ScopedEnv home_{"HOME", dir_.file("home").c_str()};
  ScopedEnv no_db_{"CONVPROBE_DB", nullptr};
  ScopedEnv no_xdg_{"XDG_DATA_HOME", nullptr};
};

TEST_F(CPU_ResultsDb, LocationSaysWhereAndWhy) {
  EXPECT_EQ(locate_results_db("x.db").path, "x.db");
  EXPECT_EQ(locate_results_db("x.db").why(), "given with --db");
  EXPECT_EQ(locate_results_db("").path, dir_.file("home") + "/.local/share/convprobe/results.db");
  EXPECT_EQ(locate_results_db("").why(), "the default location");
  EXPECT_TRUE(locate_results_db("").folder_is_ours());
  {
    ScopedEnv xdg("XDG_DATA_HOME", "/xdg");
    EXPECT_EQ(locate_results_db("").path, "/xdg/convprobe/results.db");
    EXPECT_EQ(locate_results_db("").why(), "the default location under $XDG_DATA_HOME");
    EXPECT_TRUE(locate_results_db("").folder_is_ours());
  }
  ScopedEnv db("CONVPROBE_DB", "/data/runs.db");
  EXPECT_EQ(locate_results_db("").path, "/data/runs.db");
  EXPECT_EQ(locate_results_db("").why(), "from $CONVPROBE_DB");
  EXPECT_FALSE(locate_results_db("").folder_is_ours());
  EXPECT_EQ(locate_results_db("given.db").path, "given.db");  // --db wins over the environment
}

TEST_F(CPU_ResultsDb, WritingCreatesTheDefaultFolderOnAFreshMachine) {
  auto store = open_results_for_writing("");
  store->begin_run(sample_fingerprint(), false);
  EXPECT_TRUE(std::filesystem::exists(dir_.file("home") + "/.local/share/convprobe/results.db"));
}

TEST_F(CPU_ResultsDb, WritingCreatesTheConvprobeFolderUnderXdgDataHome) {
  ScopedEnv xdg("XDG_DATA_HOME", dir_.file("xdg").c_str());
  auto store = open_results_for_writing("");
  EXPECT_TRUE(std::filesystem::exists(dir_.file("xdg") + "/convprobe/results.db"));
}

TEST_F(CPU_ResultsDb, WritingNeverCreatesAFolderTheUserNamed) {
  const std::string path = dir_.file("typo/results.db");
  const std::string error = location_error([&] { return open_results_for_writing(path); });
  EXPECT_TRUE(contains(error, "cannot create results database " + path + " (given with --db)"));
  EXPECT_TRUE(contains(error, "directory " + dir_.file("typo") + " does not exist"));
  EXPECT_TRUE(contains(error, "leave out --db"));
  EXPECT_FALSE(std::filesystem::exists(dir_.file("typo")));

  ScopedEnv db("CONVPROBE_DB", path.c_str());
  const std::string from_env = location_error([] { return open_results_for_writing(""); });
  EXPECT_TRUE(contains(from_env, "(from $CONVPROBE_DB)"));
  EXPECT_TRUE(contains(from_env, "unset CONVPROBE_DB"));
  EXPECT_FALSE(std::filesystem::exists(dir_.file("typo")));
}

TEST_F(CPU_ResultsDb, ReadingAMissingFileSaysWhereItLookedAndHowToCreateIt) {
  const std::string path = dir_.file("missing.db");
  EXPECT_EQ(location_error([&] { return open_results_for_reading(path); }),
            "no results database at " + path +
                " (given with --db); create it by storing results there, e.g. `convprobe sweep --preset "
                "gfx1010-quick -b onednn --db " +
                path + "` (or run, bisect)");
  EXPECT_FALSE(std::filesystem::exists(path));

  const std::string default_path = dir_.file("home") + "/.local/share/convprobe/results.db";
  EXPECT_EQ(location_error([] { return open_results_for_reading(""); }),
            "no results database at " + default_path +
                " (the default location); create it by storing results there, e.g. `convprobe sweep "
                "--preset gfx1010-quick -b onednn` (or run, bisect)");
  EXPECT_FALSE(std::filesystem::exists(dir_.file("home")));  // not even the folder
}

TEST_F(CPU_ResultsDb, ReadingLeavesTheFileByteForByteAndRefusesWrites) {
  const std::string path = dir_.file("results.db");
  {
    auto store = open_results_for_writing(path);
    const int64_t run = store->begin_run(sample_fingerprint(), false);
    store->add_trial(run, sample_problem(), "fault", sample_candidate("fault.ok"),
                     sample_result(Verdict::pass), "r");
  }
  const std::string before = file_bytes(path);
  {
    auto store = open_results_for_reading(path);
    EXPECT_EQ(store->trials({}).size(), 1u);
    EXPECT_THROW(store->begin_run(sample_fingerprint(), false), StoreError);
  }
  EXPECT_EQ(file_bytes(path), before);
}

}  // namespace
}  // namespace convprobe::test
