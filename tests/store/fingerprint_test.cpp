// Run fingerprints: the identity that --resume compares, what make_fingerprint collects, the JSON form, and
// the default database path.
#include "store/fingerprint.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "store_fixtures.hpp"

namespace convprobe::test {
namespace {

TEST(CPU_Fingerprint, IdentityIsSixteenHexDigitsAndDeterministic) {
  const std::string id = sample_fingerprint().identity();
  ASSERT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  EXPECT_EQ(sample_fingerprint().identity(), id);
}

TEST(CPU_Fingerprint, IdentityIgnoresDateAndCommandLine) {
  Fingerprint a = sample_fingerprint(), b = sample_fingerprint();
  b.date = "1999-01-01T00:00:00.000Z";
  b.command_line = "convprobe sweep --resume --preset other";
  EXPECT_EQ(a.identity(), b.identity());
}

TEST(CPU_Fingerprint, IdentityChangesWithEverythingThatMakesResultsIncomparable) {
  const std::string base = sample_fingerprint().identity();
  const std::vector<std::pair<const char*, void (*)(Fingerprint&)>> changes = {
      {"host", [](Fingerprint& f) { f.host += "2"; }},
      {"cpu", [](Fingerprint& f) { f.cpu += "2"; }},
      {"backend", [](Fingerprint& f) { f.backend = "onednn"; }},
      {"backend_version", [](Fingerprint& f) { f.backend_version = "1.1"; }},
      {"devices", [](Fingerprint& f) { f.devices.push_back("cuda:1"); }},
      {"driver", [](Fingerprint& f) { f.driver = "550.54"; }},
      {"convprobe_version", [](Fingerprint& f) { f.convprobe_version = "0.2.0"; }},
      {"env value",
       [](Fingerprint& f) { f.env.insert_or_assign("MIOPEN_DEBUG_CONV_GEMM", std::string("1")); }},
      {"env added", [](Fingerprint& f) { f.env.emplace("CUDNN_LOGINFO_DBG", "1"); }},
      {"env removed", [](Fingerprint& f) { f.env.clear(); }},
      // Field boundaries count: moving text from one field to the next is a different fingerprint.
      {"boundary",
       [](Fingerprint& f) {
         f.host = "testhos";
         f.cpu = "tTest CPU @ 3 GHz";
       }},
  };
  for (const auto& [what, change] : changes) {
    Fingerprint f = sample_fingerprint();
    change(f);
    EXPECT_NE(f.identity(), base) << what;
  }
}

TEST(CPU_Fingerprint, MakeFingerprintCollectsRelevantEnvironmentOnly) {
  ScopedEnv miopen("MIOPEN_DEBUG_CONV_WINOGRAD", "0");
  ScopedEnv cudnn("CUDNN_ERRATA_JSON_FILE", "/tmp/errata.json");
  ScopedEnv omp("OMP_NUM_THREADS", "2");
  ScopedEnv extra("MYLIB_MODE", "fast");
  ScopedEnv unrelated("CONVPROBE_TEST_UNRELATED", "x");
  ScopedEnv near_miss("OMP_NUM_THREADS_EXTRA", "x");

  BackendInfo info;
  info.name = "miopen";
  info.version = "MIOpen 3.1.0";
  info.devices = {{0, "gfx1010", "ROCm 6.0"}, {1, "gfx1030", "ROCm 6.0"}, {2, "gfx90a", "ROCm 6.1"}};
  const Fingerprint fp =
      make_fingerprint(info, std::vector<std::string>{"MYLIB_"}, "convprobe sweep -b miopen");
  EXPECT_EQ(fp.backend, "miopen");
  EXPECT_EQ(fp.backend_version, "MIOpen 3.1.0");
  EXPECT_EQ(fp.devices, (std::vector<std::string>{"gfx1010", "gfx1030", "gfx90a"}));
  EXPECT_EQ(fp.driver, "ROCm 6.0; ROCm 6.1");
  EXPECT_EQ(fp.convprobe_version, CONVPROBE_VERSION);
  EXPECT_EQ(fp.command_line, "convprobe sweep -b miopen");
  EXPECT_FALSE(fp.host.empty());
  EXPECT_FALSE(fp.cpu.empty());
  EXPECT_EQ(fp.date.size(), std::string("2026-11-25T10:00:00.000Z").size());
  EXPECT_EQ(fp.env.at("MIOPEN_DEBUG_CONV_WINOGRAD"), "0");
  EXPECT_EQ(fp.env.at("CUDNN_ERRATA_JSON_FILE"), "/tmp/errata.json");
  EXPECT_EQ(fp.env.at("OMP_NUM_THREADS"), "2");
  EXPECT_EQ(fp.env.at("MYLIB_MODE"), "fast");
  EXPECT_FALSE(fp.env.count("CONVPROBE_TEST_UNRELATED"));
  EXPECT_FALSE(fp.env.count("OMP_NUM_THREADS_EXTRA"));

  const Fingerprint one_device = make_fingerprint(info, std::vector<int>{1}, "cmd");
  EXPECT_EQ(one_device.devices, (std::vector<std::string>{"gfx1030"}));
  EXPECT_EQ(one_device.driver, "ROCm 6.0");
  EXPECT_NE(one_device.identity(), fp.identity());
}

TEST(CPU_Fingerprint, ConvprobeHostNamesTheMachine) {
  BackendInfo info;
  info.name = "cudnn";
  const Fingerprint real = make_fingerprint(info, std::vector<int>{}, "cmd");
  ScopedEnv named("CONVPROBE_HOST", "gpu-pool-h200");
  const Fingerprint a = make_fingerprint(info, std::vector<int>{}, "cmd");
  EXPECT_EQ(a.host, "gpu-pool-h200");
  EXPECT_NE(a.identity(), real.identity());
  EXPECT_EQ(make_fingerprint(info, std::vector<int>{}, "other cmd").identity(), a.identity());
}

TEST(CPU_Fingerprint, JsonRoundTrips) {
  const Fingerprint fp = sample_fingerprint();
  const nlohmann::json j = fingerprint_to_json(fp);
  EXPECT_EQ(j.at("identity"), fp.identity());
  EXPECT_EQ(j.at("env").at("MIOPEN_DEBUG_CONV_GEMM"), "0");
  const Fingerprint back = fingerprint_from_json(j);
  EXPECT_EQ(fingerprint_to_json(back), j);
}

TEST(CPU_DefaultDbPath, FollowsConvprobeDbThenXdgThenHome) {
  ScopedEnv home("HOME", "/home/someone");
  {
    ScopedEnv db("CONVPROBE_DB", "/data/runs.db");
    ScopedEnv xdg("XDG_DATA_HOME", "/xdg");
    EXPECT_EQ(default_db_path(), "/data/runs.db");
  }
  ScopedEnv no_db("CONVPROBE_DB", nullptr);
  {
    ScopedEnv xdg("XDG_DATA_HOME", "/xdg");
    EXPECT_EQ(default_db_path(), "/xdg/convprobe/results.db");
  }
  {
    ScopedEnv relative_xdg("XDG_DATA_HOME", "relative/is/ignored");
    EXPECT_EQ(default_db_path(), "/home/someone/.local/share/convprobe/results.db");
  }
  ScopedEnv no_xdg("XDG_DATA_HOME", nullptr);
  EXPECT_EQ(default_db_path(), "/home/someone/.local/share/convprobe/results.db");
}

}  // namespace
}  // namespace convprobe::test
