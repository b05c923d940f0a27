// Backend-only options cross the worker pipe as a string map inside TrialOptions' JSON form (issue 14, item
// 4): they arrive whole, and anything but strings in the map is dropped, never a crash.
#include <gtest/gtest.h>

#include "core/json_io.hpp"

namespace convprobe {
namespace {

TEST(CPU_TrialOptionsJson, BackendOptionsTravelAsAStringMap) {
  TrialOptions o;
  o.backend_options = {{"math", "strict"}, {"knob_samples", "2"}};
  const TrialOptions back = trial_options_from_json(to_json(o));
  EXPECT_EQ(back.backend_options, o.backend_options);
  EXPECT_TRUE(trial_options_from_json(to_json(TrialOptions{})).backend_options.empty());
}

TEST(CPU_TrialOptionsJson, NonStringBackendOptionsAreDropped) {
  const auto j =
      nlohmann::json::parse(R"({"backend_options": {"math": "tf32", "knob_samples": 3, "x": null}})");
  const TrialOptions o = trial_options_from_json(j);
  EXPECT_EQ(o.backend_options, (std::map<std::string, std::string>{{"math", "tf32"}}));
  EXPECT_TRUE(
      trial_options_from_json(nlohmann::json::parse(R"({"backend_options": [1]})")).backend_options.empty());
}

}  // namespace
}  // namespace convprobe
