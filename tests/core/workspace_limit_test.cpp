// The one workspace rule (issue 13): above the cap or above the whole device is SKIPPED with the reason.
#include "core/workspace_limit.hpp"

#include <gtest/gtest.h>

#include "convprobe/trial.hpp"

namespace convprobe {
namespace {

std::string skipped_detail(int64_t needed, const WorkspaceLimits& limits) {
  try {
    check_workspace(needed, limits);
  } catch (const TrialError& e) {
    EXPECT_EQ(e.verdict(), Verdict::skipped);
    return e.what();
  }
  return "";
}

TEST(CPU_WorkspaceLimit, DecimalBytesAsVendorsQuoteMemory) {
  EXPECT_EQ(decimal_bytes(0), "0 bytes");
  EXPECT_EQ(decimal_bytes(999), "999 bytes");
  EXPECT_EQ(decimal_bytes(4096), "4.1 kB");
  EXPECT_EQ(decimal_bytes(153'400'000'000), "153.4 GB");
  EXPECT_EQ(decimal_bytes(150'100'000'000), "150.1 GB");
}

TEST(CPU_WorkspaceLimit, AboveTheDeviceIsSkippedNamingBothSizes) {
  // The H200 case: a sampled knob configuration asked for more than the whole device.
  EXPECT_EQ(skipped_detail(153'400'000'000, WorkspaceLimits{-1, 150'100'000'000}),
            "needs 153.4 GB workspace; device has 150.1 GB");
}

TEST(CPU_WorkspaceLimit, AboveTheCapIsSkippedNamingTheOption) {
  EXPECT_EQ(skipped_detail(4096, WorkspaceLimits{1024, 150'100'000'000}),
            "needs 4096 bytes of workspace (4.1 kB), above the cap of 1024 bytes (--max-workspace)");
}

TEST(CPU_WorkspaceLimit, WithinBothOrUnknownLimitsPasses) {
  EXPECT_NO_THROW(check_workspace(0, WorkspaceLimits{0, 1}));
  EXPECT_NO_THROW(check_workspace(150'100'000'000, WorkspaceLimits{-1, 150'100'000'000}));  // equal: fits
  EXPECT_NO_THROW(check_workspace(int64_t{1} << 60, WorkspaceLimits{-1, -1}));              // unknown device
}

TEST(CPU_WorkspaceLimit, TheHostHasMemory) { EXPECT_GT(host_memory_bytes(), int64_t{1} << 26); }

}  // namespace
}  // namespace convprobe
