// Adding a backend is one folder and one line (issue 14, item 4; docs/backends.md, "Adding a backend"):
// tests/backends/tiny/ is src/backends/reference/ copied and renamed, added by one convprobe_backend(tiny)
// line in tests/backends/CMakeLists.txt. The program built with that registry (convprobe_test_backends) must
// treat it as any other backend: -b accepts it, the help and the "expected one of" message name it, `devices`
// lists it, a supervised sweep runs its candidates. convprobe itself, built before the line, never knows it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_command.hpp"

namespace convprobe::test {
namespace {

/// Runs the convprobe built with the test registry (tests/backends/CMakeLists.txt), on bin/'s plugins.
CommandResult run_with_test_backends(const std::string& args) {
  return run_shell("CONVPROBE_PLUGIN_PATH=" + std::string(CONVPROBE_TEST_BIN_DIR) + " " +
                   CONVPROBE_TEST_BACKENDS_BIN + " " + args);
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(CPU_TinyBackend, HelpAndUsageErrorsNameIt) {
  const auto help = run_with_test_backends("sweep --help");
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_TRUE(has(help.out, "reference, onednn, cudnn, miopen, fault or tiny")) << help.out;
  const auto bad = run_with_test_backends("run mb1ic3ih8oc8kh3ph1 -b nosuch --no-db");
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_TRUE(has(bad.err, "expected one of reference, onednn, cudnn, miopen, fault, tiny")) << bad.err;
}

TEST(CPU_TinyBackend, DevicesListsIt) {
  const auto r = run_with_test_backends("devices -b tiny --json -");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc.at("backends").size(), 1u);
  EXPECT_EQ(doc["backends"][0].at("name"), "tiny");
  EXPECT_TRUE(doc["backends"][0].at("available").get<bool>()) << r.out;
  const auto all = run_with_test_backends("devices");
  EXPECT_TRUE(has(all.out, "tiny")) << all.out;
}

TEST(CPU_TinyBackend, SupervisedSweepRunsItsCandidates) {
  const auto r = run_with_test_backends(
      "run mb1ic3ih8oc8kh3ph1 mb2ic4ih10oc6kh3 -b tiny --no-db --json - --repeats 1 --warmup 0 "
      "--timeout-floor-ms 2000");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc.at("trials").size(), 2u) << r.out;
  for (const auto& t : doc["trials"]) {
    EXPECT_EQ(t.at("backend"), "tiny");
    EXPECT_EQ(t.at("candidate"), "tiny.direct");
    EXPECT_EQ(t.at("verdict"), "PASS") << t.dump();
  }
  const auto listed = run_with_test_backends("candidates mb1ic3ih8oc8kh3ph1 -b tiny");
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(has(listed.out, "tiny.direct")) << listed.out;
}

TEST(CPU_TinyBackend, ConvprobeItselfDoesNotKnowIt) {
  const auto r = run_convprobe("run mb1ic3ih8oc8kh3ph1 -b tiny --no-db");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(has(r.err, "--backend 'tiny' is not a backend")) << r.err;
  const auto help = run_convprobe("sweep --help");
  EXPECT_FALSE(has(help.out, "tiny")) << help.out;
}

}  // namespace
}  // namespace convprobe::test
