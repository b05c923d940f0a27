#include "core/split.hpp"

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

}  // namespace
}  // namespace convprobe
