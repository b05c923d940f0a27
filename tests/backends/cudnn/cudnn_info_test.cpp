// What the cudnn plugin reports about itself, with or without a GPU (runs in CI, which has none): never a
// silent "available" without devices, and an exact reason when unavailable.
#include <gtest/gtest.h>

#include "exec/plugin_loader.hpp"

namespace convprobe {
namespace {

TEST(CPU_CudnnInfo, ReportsDevicesOrTheExactReason) {
  setenv("CONVPROBE_PLUGIN_PATH", CONVPROBE_TEST_BIN_DIR, 0);
  std::string reason;
  auto loaded = load_backend("cudnn", &reason);
  ASSERT_NE(loaded, nullptr) << reason;
  const BackendInfo info = loaded->get().info();
  EXPECT_EQ(info.name, "cudnn");
  EXPECT_EQ(info.version.rfind("cuDNN 9.", 0), 0u) << info.version;
  if (info.available) {
    ASSERT_FALSE(info.devices.empty());
    for (const DeviceInfo& d : info.devices) {
      EXPECT_NE(d.name.find("(sm_"), std::string::npos) << d.name;
      EXPECT_NE(d.details.find("driver"), std::string::npos) << d.details;
      EXPECT_NE(d.details.find("cuDNN 9."), std::string::npos) << d.details;
    }
  } else {
    EXPECT_TRUE(info.devices.empty());
    EXPECT_EQ(info.reason.rfind("no CUDA device: cudaGetDeviceCount returned ", 0), 0u) << info.reason;
  }
}

TEST(CPU_CudnnInfo, CandidatesWithoutAGpuThrowTheReason) {
  setenv("CONVPROBE_PLUGIN_PATH", CONVPROBE_TEST_BIN_DIR, 0);
  std::string reason;
  auto loaded = load_backend("cudnn", &reason);
  ASSERT_NE(loaded, nullptr) << reason;
  if (loaded->get().info().available) GTEST_SKIP() << "a GPU is present: covered by cudnn_gpu_tests";
  Problem p;
  p.ic = 4, p.oc = 4, p.in = {1, 8, 8}, p.kernel = {1, 3, 3};
  try {
    (void)loaded->get().candidates(p, TrialOptions{});
    FAIL() << "candidates() without a GPU must throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no CUDA device"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace convprobe
