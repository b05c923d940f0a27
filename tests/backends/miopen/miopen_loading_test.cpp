// Loading: missing libraries and missing entry points are states reported by info(), never crashes; the
// test double is refused unless named by the test-only variable.
#include <gtest/gtest.h>

#include "miopen_test_support.hpp"

namespace convprobe::miopen_test {
namespace {

// Sets variables for one test and restores them after.
class ScopedEnv {
 public:
  void set(const char* name, const std::string& value) {
    remember(name);
    setenv(name, value.c_str(), 1);
  }
  void unset(const char* name) {
    remember(name);
    unsetenv(name);
  }
  ~ScopedEnv() {
    for (const auto& [name, old] : saved_) {
      if (old)
        setenv(name.c_str(), old->c_str(), 1);
      else
        unsetenv(name.c_str());
    }
  }

 private:
  void remember(const char* name) {
    if (saved_.count(name) != 0) return;
    const char* v = std::getenv(name);
    saved_[name] = v != nullptr ? std::optional<std::string>(v) : std::nullopt;
  }
  std::map<std::string, std::optional<std::string>> saved_;
};

const std::string kDoubleDir = CONVPROBE_MIOPEN_DOUBLE_DIR;

TEST(MiopenLoading, CPU_MissingLibrariesAreUnavailableWithEveryPathTried) {
  ScopedEnv env;
  env.unset("CONVPROBE_MIOPEN_TEST_DOUBLE");
  env.set("ROCM_PATH", "/nonexistent-rocm");
  env.set("CONVPROBE_MIOPEN_LIB", "/nonexistent-dir/libMIOpen.so");
  auto loaded = load_miopen();
  ASSERT_NE(loaded, nullptr);
  const BackendInfo info = loaded->get().info();
  EXPECT_FALSE(info.available);
  EXPECT_NE(info.reason.find("MIOpen not found"), std::string::npos) << info.reason;
  for (const char* path : {"/nonexistent-dir/libMIOpen.so", "/nonexistent-rocm/lib/libMIOpen.so",
                           "/opt/rocm/lib/libMIOpen.so", "loader path (libMIOpen.so)"}) {
    EXPECT_NE(info.reason.find(path), std::string::npos) << path << " in " << info.reason;
  }
  EXPECT_THROW((void)loaded->get().candidates(conv(Direction::fwd, 1, 4, 8, 4, 3), quick_options()),
               std::runtime_error);
}

TEST(MiopenLoading, CPU_RealSearchRefusesTheTestDouble) {
  ScopedEnv env;
  env.unset("CONVPROBE_MIOPEN_TEST_DOUBLE");
  env.set("CONVPROBE_MIOPEN_LIB", kDoubleDir + "/libconvprobe_test_miopen_double.so");
  auto loaded = load_miopen();
  ASSERT_NE(loaded, nullptr);
  const BackendInfo info = loaded->get().info();
  EXPECT_FALSE(info.available);
  EXPECT_NE(info.reason.find("is convprobe's test double"), std::string::npos) << info.reason;
}

TEST(MiopenLoading, CPU_TestVariableRefusesAnythingButADouble) {
  ScopedEnv env;
  env.set("CONVPROBE_MIOPEN_TEST_DOUBLE",
          std::string(CONVPROBE_TEST_BIN_DIR) + "/libconvprobe_backend_miopen.so");
  auto loaded = load_miopen();
  ASSERT_NE(loaded, nullptr);
  const BackendInfo info = loaded->get().info();
  EXPECT_FALSE(info.available);
  EXPECT_NE(info.reason.find("not a convprobe test double"), std::string::npos) << info.reason;
}

TEST(MiopenLoading, CPU_MissingOptionalEntryPointsDegradeWithNotes) {
  ScopedEnv env;
  use_test_double();
  env.set("CONVPROBE_MIOPEN_TEST_HIDE_SYMBOLS",
          "hipGetDevicePropertiesR0600,miopenGetVersion,miopenFindConvolutionForwardAlgorithm");
  auto loaded = load_miopen();
  ASSERT_NE(loaded, nullptr);
  const BackendInfo info = loaded->get().info();
  ASSERT_TRUE(info.available) << info.reason;
  ASSERT_EQ(info.devices.size(), 1u);
  EXPECT_EQ(info.devices[0].name, "gfx1010:xnack-");  // read through the pre-6.0 hipDeviceProp_t layout
  EXPECT_NE(info.version.find("version unknown"), std::string::npos) << info.version;
  bool find_note = false;
  for (const auto& n : info.notes)
    find_note |= n.find("miopenFindConvolutionForwardAlgorithm") != std::string::npos;
  EXPECT_TRUE(find_note);
  const auto r = run_solver(loaded->get(), conv(Direction::fwd, 2, 4, 16, 4, 3), 85);
  EXPECT_EQ(r.verdict, Verdict::pass) << r.detail;
}

TEST(MiopenLoading, CPU_MissingRequiredEntryPointIsUnavailable) {
  ScopedEnv env;
  use_test_double();
  env.set("CONVPROBE_MIOPEN_TEST_HIDE_SYMBOLS", "miopenCreate,hipMalloc");
  auto loaded = load_miopen();
  ASSERT_NE(loaded, nullptr);
  const BackendInfo info = loaded->get().info();
  EXPECT_FALSE(info.available);
  EXPECT_NE(info.reason.find("missing entry points: miopenCreate, hipMalloc"), std::string::npos)
      << info.reason;
}

}  // namespace
}  // namespace convprobe::miopen_test
