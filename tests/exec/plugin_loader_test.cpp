// The loader refuses a plugin built for another plugin ABI before calling anything of it, with both numbers
// and what to do; CONVPROBE_DEFINE_BACKEND lets no exception out of the entry point (issue 14, item 4).
#include "exec/plugin_loader.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

namespace convprobe {
namespace {

/// Loads "reference" from `dir` only (the broken plugins are all named libconvprobe_backend_reference.so).
std::string load_error_from(const std::string& dir) {
  const char* before = std::getenv("CONVPROBE_PLUGIN_PATH");
  const std::string saved = before != nullptr ? before : "";
  setenv("CONVPROBE_PLUGIN_PATH", (std::string(CONVPROBE_TEST_PLUGIN_DIR) + "/" + dir).c_str(), 1);
  std::string reason;
  auto loaded = load_backend("reference", &reason);
  if (before != nullptr) {
    setenv("CONVPROBE_PLUGIN_PATH", saved.c_str(), 1);
  } else {
    unsetenv("CONVPROBE_PLUGIN_PATH");
  }
  EXPECT_EQ(loaded, nullptr);
  return reason;
}

::testing::AssertionResult has(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "missing '" << part << "' in: " << text;
}

TEST(CPU_PluginLoader, PluginOfAnotherAbiIsRefusedWithBothNumbers) {
  const std::string reason = load_error_from("abi-2");
  EXPECT_TRUE(has(reason, "was built for plugin ABI 2"));
  EXPECT_TRUE(has(reason, "this convprobe loads plugin ABI " + std::to_string(kBackendAbiVersion)));
  EXPECT_TRUE(has(reason, "rebuild the plugin"));
  EXPECT_FALSE(has(reason, "entry point of a plugin built for another ABI was called"));  // never called
}

TEST(CPU_PluginLoader, PluginWithoutAbiNumberIsRefusedAsOlder) {
  const std::string reason = load_error_from("no-abi-symbol");
  EXPECT_TRUE(has(reason, "older plugin ABI"));
  EXPECT_TRUE(has(reason, "convprobe_backend_abi"));
  EXPECT_TRUE(has(reason, "rebuild the plugin"));
}

TEST(CPU_PluginLoader, ConstructorExceptionBecomesTheReason) {
  EXPECT_EQ(load_error_from("throws"), "no device here (thrown by the constructor)");
  EXPECT_TRUE(has(load_error_from("throws-int"), "not a std::exception"));
}

class IdleBackend final : public Backend {
 public:
  [[nodiscard]] std::string name() const override { return "idle"; }
  BackendInfo info() override { return {}; }
  std::vector<Candidate> candidates(const Problem&, const TrialOptions&) override { return {}; }
  TrialResult run_trial(const Problem&, const Candidate&, const TrialOptions&, TrialContext&) override {
    return {};
  }
};

TEST(CPU_PluginLoader, MacroEntryRefusesALoaderOfAnotherAbi) {
  std::string error;
  EXPECT_EQ(detail::create_backend<IdleBackend>(kBackendAbiVersion + 1, &error), nullptr);
  EXPECT_TRUE(has(error, "plugin built for backend ABI " + std::to_string(kBackendAbiVersion)));
  Backend* made = detail::create_backend<IdleBackend>(kBackendAbiVersion, &error);
  ASSERT_NE(made, nullptr);
  EXPECT_EQ(made->name(), "idle");
  delete made;
}

}  // namespace
}  // namespace convprobe
