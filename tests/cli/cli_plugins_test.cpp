// A backend whose plugin is missing is reported as unavailable, with the reason; the program does not abort.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

TEST(CliPlugins, MissingPluginIsUnavailableWithReason) {
  // A copy of the binary in a directory without plugins, and an empty plugin path.
  auto dir = temp_dir("noplugins");
  std::filesystem::copy_file(convprobe_bin(), dir / "convprobe");
  auto r =
      run_shell("CONVPROBE_PLUGIN_PATH= " + (dir / "convprobe").string() + " devices -b onednn -b reference");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // nothing available
  EXPECT_NE(r.out.find("unavailable"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("libconvprobe_backend_onednn.so not found"), std::string::npos) << r.out;

  auto run = run_shell("CONVPROBE_PLUGIN_PATH= " + (dir / "convprobe").string() +
                       " run mb1ic3ih8oc8kh3 -b reference --no-db");
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("unavailable"), std::string::npos) << run.err;
}

TEST(CliPlugins, PluginPathFindsPlugins) {
  auto dir = temp_dir("pluginpath");
  std::filesystem::copy_file(convprobe_bin(), dir / "convprobe");
  auto r = run_shell(std::string("CONVPROBE_PLUGIN_PATH=") + CONVPROBE_TEST_BIN_DIR + " " +
                     (dir / "convprobe").string() + " devices -b reference --json -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"available\": true"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace convprobe::test
