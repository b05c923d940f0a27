// The text helpers every room shares (base/text.hpp).
#include "base/text.hpp"

#include <gtest/gtest.h>

namespace convprobe {
namespace {

using V = std::vector<std::string_view>;

TEST(SplitList, KeepsEveryItemIncludingEmptyOnes) {
  EXPECT_EQ(split_list("a,b", ','), (V{"a", "b"}));
  EXPECT_EQ(split_list("", ','), (V{""}));
  EXPECT_EQ(split_list("a,", ','), (V{"a", ""}));
  EXPECT_EQ(split_list(",,x", ','), (V{"", "", "x"}));
  EXPECT_EQ(split_list("/a:/b", ':'), (V{"/a", "/b"}));
}

TEST(Trim, DropsWhitespaceAtBothEndsOnly) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim("\v\fx"), "x");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim(""), "");
}

TEST(SplitWhitespace, WordsWithoutEmptyOnes) {
  EXPECT_EQ(split_whitespace("  conv  -n 1\t-c 3 "), (V{"conv", "-n", "1", "-c", "3"}));
  EXPECT_EQ(split_whitespace(" \t "), V{});
}

TEST(Join, PutsTheSeparatorBetweenItems) {
  EXPECT_EQ(join({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(join({"a"}, ", "), "a");
  EXPECT_EQ(join({}, ", "), "");
}

TEST(JoinForMessage, CapsTheListAndCounts) {
  EXPECT_EQ(join_for_message({}), "none");
  EXPECT_EQ(join_for_message({"a", "b"}), "a, b");
  std::vector<std::string> many;
  many.reserve(10);
  for (int i = 0; i < 10; ++i) many.push_back(std::to_string(i));
  EXPECT_EQ(join_for_message(many), "0, 1, 2, 3, 4, 5, 6, 7, ... (10 in all)");
  EXPECT_EQ(join_for_message(many, 2), "0, 1, ... (10 in all)");
}

TEST(Case, LowerAndIequalsAreAsciiOnly) {
  EXPECT_EQ(lower("AVX512_Core"), "avx512_core");
  EXPECT_EQ(lower("\xc3\x89"), "\xc3\x89");  // non-ASCII bytes unchanged
  EXPECT_TRUE(iequals("Pass", "PASS"));
  EXPECT_FALSE(iequals("pass", "passed"));
}

TEST(ValidEnvName, IsWhatExportAccepts) {
  for (const char* ok : {"A", "_x", "MIOPEN_DEBUG_CONV_GEMM", "a1"}) EXPECT_TRUE(valid_env_name(ok)) << ok;
  for (const char* bad : {"", "1A", "A-B", "A B", "A=1", "\xc3\x89"})
    EXPECT_FALSE(valid_env_name(bad)) << bad;
}

}  // namespace
}  // namespace convprobe
