// End to end under the real supervisor (src/supervisor): HANG and CRASH are only observable when the
// trial runs in a watched worker. Workers inherit CONVPROBE_MIOPEN_TEST_DOUBLE from ExecutorOptions::env.
#include <gtest/gtest.h>

#include "exec/executor.hpp"
#include "miopen_test_support.hpp"
#include "supervisor/worker_env.hpp"

namespace convprobe::miopen_test {
namespace {

using D = Direction;

TEST(MiopenSupervised, CPU_GemmHangsAbove42AndPassesAt42) {
  const auto at42 = supervised(conv(D::fwd, 1, 4, 42, 4, 3), {91, 85});
  EXPECT_EQ(at42.at(91).verdict, Verdict::pass) << at42.at(91).detail;
  EXPECT_EQ(at42.at(85).verdict, Verdict::pass) << at42.at(85).detail;
  const auto at44 = supervised(conv(D::fwd, 1, 4, 44, 4, 3), {91, 85});
  EXPECT_EQ(at44.at(91).verdict, Verdict::hang) << at44.at(91).detail;
  EXPECT_EQ(at44.at(85).verdict, Verdict::pass) << at44.at(85).detail;  // the next trial ran in a new worker
}

TEST(MiopenSupervised, CPU_GemmBwdRestCrashesAboveBatch2) {
  const auto r = supervised(conv(D::bwd_data, 4, 4, 16, 4, 3), {97, 86});
  EXPECT_EQ(r.at(97).verdict, Verdict::crash) << r.at(97).detail;
  EXPECT_NE(r.at(97).detail.find("SIGSEGV"), std::string::npos) << r.at(97).detail;
  EXPECT_EQ(r.at(86).verdict, Verdict::pass) << r.at(86).detail;
}

TEST(MiopenSupervised, CPU_MissingLibrariesAreUnavailableNotACrash) {
  ExecutorOptions eo;
  eo.backend = "miopen";
  eo.env["CONVPROBE_MIOPEN_LIB"] = "/nonexistent-dir";
  eo.env["ROCM_PATH"] = "/nonexistent-rocm";
  eo.worker_executable = std::string(CONVPROBE_TEST_BIN_DIR) + "/convprobe";
  // Workers inherit this process's environment: other tests here may have named the double.
  const char* dbl = std::getenv("CONVPROBE_MIOPEN_TEST_DOUBLE");
  const std::string saved = dbl != nullptr ? dbl : "";
  unsetenv("CONVPROBE_MIOPEN_TEST_DOUBLE");
  auto exec = make_supervised_executor(eo);
  const BackendInfo info = exec->info();
  if (!saved.empty()) setenv("CONVPROBE_MIOPEN_TEST_DOUBLE", saved.c_str(), 1);
  EXPECT_FALSE(info.available);
  EXPECT_NE(info.reason.find("MIOpen not found"), std::string::npos) << info.reason;
}

}  // namespace
}  // namespace convprobe::miopen_test
