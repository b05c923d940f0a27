// The find-db as a file (vendor/miopen_finddb_file.hpp): lines as MIOpen reads them, a merge that keeps every
// foreign byte, the file name's parts, and finding the one file of a MIOpen version.
#include "vendor/miopen_finddb_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/run_command.hpp"

namespace convprobe::miopen {
namespace {

const std::string kSeedKey = "3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-F";

TEST(FindDbLines, KeyIsWhatPrecedesTheFirstEqualsSign) {
  EXPECT_EQ(finddb_line_key(kSeedKey + "=a:b,c"), kSeedKey);
  EXPECT_EQ(finddb_line_key("k=v=w"), "k");
  EXPECT_EQ(finddb_line_key("=value"), "");  // db.cpp: a key of size 0 is no record
  EXPECT_EQ(finddb_line_key("# a comment"), "");
  const auto lines = split_finddb_lines("a=1\n\nbroken\nlast=2");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].key, "a");
  EXPECT_EQ(lines[1].text, "");
  EXPECT_EQ(lines[2].key, "");
  EXPECT_EQ(lines[3].key, "last");
  EXPECT_FALSE(lines[3].has_newline);
}

TEST(FindDbMerge, KeepsEveryForeignLineByteForByte) {
  const std::string old =
      "# someone's note\n"
      "64-56-56-1x1-64-56-56-16-0x0-1x1-1x1-0-NCHW-FP32-F=miopenConvolutionFwdAlgoGEMM:GemmFwd1x1_0_1,0.1,0,"
      "miopenConvolutionFwdAlgoGEMM,<unused>\r\n"
      "ill-formed line without key\n"
      "\n" +
      kSeedKey + "=miopenConvolutionFwdAlgoGEMM:GemmFwdRest,9,0,miopenConvolutionFwdAlgoGEMM,<unused>\n" +
      kSeedKey +
      "=a later duplicate MIOpen never reads\n"
      "=no key\n"
      "\xff\xfe binary-ish text";
  const std::string ours = kSeedKey +
                           "=miopenConvolutionFwdAlgoDirect:ConvOclDirectFwd,2.5,0,"
                           "miopenConvolutionFwdAlgoDirect,<unused>";
  const std::string added = "1-2-2-1x1-1-2-2-1-0x0-1x1-1x1-0-NCHW-FP32-F=x:y";
  const MergedFindDb m = merge_finddb(old, {ours, added});
  std::string expected = old;
  const size_t at = expected.find(kSeedKey + "=miopenConvolutionFwdAlgoGEMM:GemmFwdRest");
  expected.replace(at, expected.find('\n', at) - at, ours);
  expected += "\n" + added + "\n";  // the unterminated last line gets its line end, then ours follows
  EXPECT_EQ(m.text, expected);
  EXPECT_EQ(m.changes, (std::vector<RecordChange>{RecordChange::replaced, RecordChange::added}));
  EXPECT_EQ(m.replaced[0],
            kSeedKey + "=miopenConvolutionFwdAlgoGEMM:GemmFwdRest,9,0,miopenConvolutionFwdAlgoGEMM,<unused>");
  EXPECT_EQ(m.kept_lines, 7u);
}

TEST(FindDbMerge, SameRecordAgainChangesNothing) {
  const std::string line = kSeedKey + "=x:y";
  const std::string old = "a=b\n" + line + "\n";
  const MergedFindDb m = merge_finddb(old, {line});
  EXPECT_EQ(m.text, old);
  EXPECT_EQ(m.changes[0], RecordChange::unchanged);
  EXPECT_EQ(merge_finddb("", {line}).text, line + "\n");
  EXPECT_THROW((void)merge_finddb("", {line, line}), std::invalid_argument);
  EXPECT_THROW((void)merge_finddb("", {"no key"}), std::invalid_argument);
}

TEST(FindDbName, PartsOfRealNames) {
  UserFindDbName n;
  ASSERT_TRUE(parse_user_finddb_name("gfx906_64.HIP.2_9_0_8252-26-64506314.ufdb.txt", &n));  // MIOpen#784
  EXPECT_EQ(n.base, "gfx906_64");
  EXPECT_EQ(n.version, (Version{2, 9, 0}));
  EXPECT_EQ(n.tweak, "8252-26-64506314");
  ASSERT_TRUE(
      parse_user_finddb_name("gfx942_38.HIP.3_5_1_b3811300ed-dirty.ufdb.txt", &n));  // rocm-libraries#3522
  EXPECT_EQ(n.version, (Version{3, 5, 1}));
  EXPECT_EQ(n.tweak, "b3811300ed-dirty");
  ASSERT_TRUE(parse_user_finddb_name("gfx1030_36.HIP.3_2_0_abc.gfx1030.ufdb.txt", &n));  // develop's suffix
  EXPECT_EQ(n.version, (Version{3, 2, 0}));
  for (const char* bad : {"gfx906_64.HIP.fdb.txt", "gfx906_64.HIP.2_9_0_x.ufdb.txt.convprobe-backup-1",
                          "gfx906_64.OpenCL.2_9_0_x.ufdb.txt", "gfx906_64.HIP.2_x_0_y.ufdb.txt", ".ufdb.txt",
                          "gfx906_64.HIP.2_9.ufdb.txt", "gfx906_64_1.1.0.udb"}) {
    EXPECT_FALSE(parse_user_finddb_name(bad, &n)) << bad;
  }
}

TEST(FindDbFolder, MiopenUserDbPathElseHomeConfig) {
  auto env = [](std::map<std::string, std::string> vars) -> EnvLookup {
    return [vars](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  };
  EXPECT_EQ(user_db_dir(env({{"HOME", "/home/u"}})), "/home/u/.config/miopen/");
  EXPECT_EQ(user_db_dir(env({{"HOME", "/home/u"}, {"MIOPEN_USER_DB_PATH", "~/db"}})), "/home/u/db");
  EXPECT_EQ(user_db_dir(env({{"HOME", "/"}})), "/tmp/.config/miopen/");  // expanduser.cpp:13-20
}

TEST(FindDbFolder, ChoosesTheOneFileOfTheVersion) {
  const auto dir = test::temp_dir("finddb-choose");
  std::string err;
  EXPECT_FALSE(choose_user_finddb(dir.string(), {2, 17, 0}, &err));
  EXPECT_NE(err.find("no user find-db file(s) *.HIP.2_17_0_*.ufdb.txt for MIOpen 2.17.0"), std::string::npos)
      << err;
  EXPECT_NE(err.find("MIOPEN_LOG_LEVEL=6"), std::string::npos) << err;
  for (const char* name :
       {"gfx1010_18.HIP.2_17_0_abc.ufdb.txt", "gfx1010_18.HIP.2_16_0_old.ufdb.txt",
        "gfx1010_18.HIP.2_17_0_abc.ufdb.txt.convprobe-backup-20261205T000000Z", "gfx1010_18.HIP.fdb.txt"}) {
    std::ofstream(dir / name) << "";
  }
  const auto chosen = choose_user_finddb(dir.string(), {2, 17, 0}, &err);
  ASSERT_TRUE(chosen) << err;
  EXPECT_EQ(*chosen, (dir / "gfx1010_18.HIP.2_17_0_abc.ufdb.txt").string());
  std::ofstream(dir / "gfx1030_36.HIP.2_17_0_abc.ufdb.txt") << "";
  EXPECT_FALSE(choose_user_finddb(dir.string(), {2, 17, 0}, &err));
  EXPECT_NE(err.find("2 user find-db file(s)"), std::string::npos) << err;
  EXPECT_NE(err.find("gfx1030_36.HIP.2_17_0_abc.ufdb.txt"), std::string::npos) << err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace convprobe::miopen
