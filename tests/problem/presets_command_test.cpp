// `convprobe presets`: the listing, a preset as a problems file, --json, --batch and bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "convprobe/problem.hpp"

namespace convprobe::cli {
namespace {

/// Runs `presets ARGS...` on a fresh app and returns its stdout; usage errors propagate as UsageError.
std::string run_presets(std::vector<std::string> args) {
  CLI::App app{"test"};
  CliState state;
  add_presets_command(app, state);
  args.insert(args.begin(), "presets");
  std::vector<const char*> argv{"convprobe"};
  for (const auto& a : args) argv.push_back(a.c_str());
  testing::internal::CaptureStdout();
  try {
    app.parse(static_cast<int>(argv.size()), const_cast<char**>(argv.data()));
  } catch (...) {
    testing::internal::GetCapturedStdout();
    throw;
  }
  std::fflush(stdout);
  return testing::internal::GetCapturedStdout();
}

TEST(PresetsCommand, ListsNamesAndCounts) {
  const std::string out = run_presets({});
  EXPECT_NE(out.find("gfx1010 "), std::string::npos) << out;
  EXPECT_NE(out.find("720"), std::string::npos) << out;
  EXPECT_NE(out.find("gfx1010-quick"), std::string::npos) << out;
  EXPECT_NE(out.find("resnet50"), std::string::npos) << out;
  EXPECT_NE(out.find("r3d18"), std::string::npos) << out;
}

TEST(PresetsCommand, PrintsAProblemsFile) {
  const std::string out = run_presets({"resnet50", "--batch", "4"});
  std::vector<Problem> problems;
  std::string err;
  ASSERT_TRUE(parse_problems_text(out, "stdout", &problems, &err)) << err;
  ASSERT_EQ(problems.size(), 23u);
  for (const auto& p : problems) EXPECT_EQ(p.mb, 4);
}

TEST(PresetsCommand, Json) {
  const auto list = nlohmann::json::parse(run_presets({"--json", "-"}));
  ASSERT_EQ(list["presets"].size(), 12u);
  EXPECT_EQ(list["presets"][0]["name"], "gfx1010");
  EXPECT_EQ(list["presets"][0]["count"], 720);
  const auto one = nlohmann::json::parse(run_presets({"gfx1010-sizes", "--json", "-"}));
  EXPECT_EQ(one["count"], 9);
  EXPECT_EQ(one["problems"][0]["problem"], "mb1ic3ih32oc64kh3ph1n\"gfx1010:32x32:3-64:k3\"");
}

TEST(PresetsCommand, BadInputIsAUsageError) {
  EXPECT_THROW(run_presets({"gfx9000"}), UsageError);
  EXPECT_THROW(run_presets({"resnet50", "--batch", "0"}), UsageError);
  EXPECT_THROW(run_presets({"--json", "/nonexistent/dir/out.json"}), UsageError);
}

}  // namespace
}  // namespace convprobe::cli
