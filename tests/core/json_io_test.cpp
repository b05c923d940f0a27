// JSON forms of the core types as read back from a worker or the store: integers are read only when they are
// JSON integers within the field's range (issue 13, fuzzing H6: nlohmann's get<int>() of 1e10 is UB).
#include "core/json_io.hpp"

#include <gtest/gtest.h>

namespace convprobe {
namespace {

using nlohmann::json;

TEST(JsonIo, IntegerOfTakesOnlyIntegersInRange) {
  EXPECT_EQ(integer_of<int>(json(7)), 7);
  EXPECT_EQ(integer_of<int>(json(-7)), -7);
  EXPECT_EQ(integer_of<uint64_t>(json(18446744073709551615u)), 18446744073709551615u);
  EXPECT_EQ(integer_of<int64_t>(json::parse("-9223372036854775808")), INT64_MIN);
  EXPECT_FALSE(integer_of<int>(json(1e10)));
  EXPECT_FALSE(integer_of<int>(json(1.0)));
  EXPECT_FALSE(integer_of<int>(json(int64_t{1} << 40)));
  EXPECT_FALSE(integer_of<uint64_t>(json(-1)));
  EXPECT_FALSE(integer_of<int64_t>(json(18446744073709551615u)));
  EXPECT_FALSE(integer_of<int>(json("1")));
  EXPECT_FALSE(integer_of<int>(json(nullptr)));
}

TEST(JsonIo, MalformedIntegersInAResultThrowNamingTheField) {
  for (const char* text :
       {R"({"verdict":"PASS","attempt":1e10})", R"({"verdict":"PASS","verify":{"seed":-5.0}})",
        R"({"verdict":"PASS","workspace_bytes":"0"})"}) {
    SCOPED_TRACE(text);
    EXPECT_THROW((void)trial_result_from_json(json::parse(text)), std::exception);
  }
  try {
    (void)trial_result_from_json(json::parse(R"({"verdict":"PASS","attempt":1e10})"));
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 R"("attempt" is 10000000000.0; expected an integer from -2147483648 to 2147483647)");
  }
  EXPECT_THROW((void)backend_info_from_json(json::parse(R"({"devices":[{"index":1e10}]})")), std::exception);
  EXPECT_THROW((void)trial_options_from_json(json::parse(R"({"repeats":-1e300})")), std::exception);
  // Absent or null: the default, as before.
  EXPECT_EQ(trial_result_from_json(json::parse(R"({"verdict":"PASS","attempt":null})")).attempt, 1);
  EXPECT_EQ(trial_result_from_json(json::parse(R"({"verdict":"PASS","attempt":3})")).attempt, 3);
}

}  // namespace
}  // namespace convprobe
