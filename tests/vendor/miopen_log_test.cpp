// MIOpen's lookup log lines (vendor/miopen_log.hpp), with lines as MIOpen prints them.
#include "vendor/miopen_log.hpp"

#include <gtest/gtest.h>

namespace convprobe::miopen {
namespace {

// ROCm/MIOpen#784, as logged by MIOpen 2.9 (the double slash is MIOpen's own: dir + "/" + name).
const std::string kIssue784 =
    "MIOpen(HIP): Info2 [FindRecordUnsafe] Looking for key "
    "256-76-54-1x1-1024-76-54-2-0x0-1x1-1x1-0-NCHW-FP32-F "
    "in file /public/home/u/.config/miopen//gfx906_64.HIP.2_9_0_8252-26-64506314.ufdb.txt";

TEST(MiopenLog, ReadsTheKeyAndPathOfALookup) {
  const auto l = parse_db_lookup(kIssue784 + "\r");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->key, "256-76-54-1x1-1024-76-54-2-0x0-1x1-1x1-0-NCHW-FP32-F");
  EXPECT_EQ(l->path, "/public/home/u/.config/miopen//gfx906_64.HIP.2_9_0_8252-26-64506314.ufdb.txt");
  EXPECT_FALSE(l->cached);
  const auto c = parse_db_lookup(
      "MIOpen(HIP): Info2 [FindRecord] Looking for key 3-44-44-3x3-64-44-44-1-1x1-1x1-1x1-0-NCHW-FP32-F in "
      "cache for "
      "file /home/my user/.config/miopen/gfx1010_18.HIP.2_17_0_abc.ufdb.txt");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->cached);
  EXPECT_EQ(c->path, "/home/my user/.config/miopen/gfx1010_18.HIP.2_17_0_abc.ufdb.txt");  // spaces kept
  for (const char* other : {"MIOpen(HIP): Info [TryLoad] Find-db regenerating.", "Looking for key ",
                            "Looking for key k in the sky", "Looking for key k in file "}) {
    EXPECT_FALSE(parse_db_lookup(other)) << other;
  }
}

TEST(MiopenLog, FindsTheUserFindDbAmongOtherLookups) {
  const std::string log =
      "MIOpen(HIP): Info2 [FindRecordUnsafe] Looking for key K1 in file "
      "/opt/rocm/share/miopen/db/gfx1010_18.HIP.fdb.txt\n"
      "MIOpen(HIP): Info2 [FindRecordUnsafe] Looking for key K1 in file "
      "/h/.config/miopen//gfx1010_18.HIP.2_17_0_x.ufdb.txt\n"
      "MIOpen(HIP): Info2 [FindRecordUnsafe] Looking for key P in file "
      "/h/.config/miopen/gfx1010_18.HIP.2_17_0_x.udb.txt\n"
      "noise\n"
      "MIOpen(HIP): Info2 [FindRecordUnsafe] Looking for key K2 in file "
      "/h/.config/miopen//gfx1010_18.HIP.2_17_0_x.ufdb.txt\n"
      "MIOpen(HIP): Info2 [FindRecordUnsafe] Looking for key K1 in file "
      "/h/.config/miopen//gfx1010_18.HIP.2_17_0_x.ufdb.txt\n";
  std::string err;
  const auto found = user_finddb_from_log(log, &err);
  ASSERT_TRUE(found) << err;
  EXPECT_EQ(found->path, "/h/.config/miopen//gfx1010_18.HIP.2_17_0_x.ufdb.txt");
  EXPECT_EQ(found->keys, (std::vector<std::string>{"K1", "K2"}));

  EXPECT_FALSE(user_finddb_from_log("nothing here\n", &err));
  EXPECT_NE(err.find("MIOPEN_LOG_LEVEL=6"), std::string::npos) << err;
  EXPECT_FALSE(
      user_finddb_from_log(log + "Looking for key K in file /other/a.HIP.2_17_0_y.ufdb.txt\n", &err));
  EXPECT_NE(err.find("2 user find-db files"), std::string::npos) << err;
}

}  // namespace
}  // namespace convprobe::miopen
