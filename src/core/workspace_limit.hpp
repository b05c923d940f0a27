// One rule for workspace, shared by every backend that reports one (issue 13): a candidate whose workspace
// is above the user's cap (--max-workspace) or above everything the device has is SKIPPED with the reason,
// not a failure of the candidate. An allocation that fails below the device's size stays OOM: that memory
// existed and was in use.
#pragma once

#include <cstdint>
#include <string>

namespace convprobe {

struct WorkspaceLimits {
  int64_t cap_bytes = -1;     ///< --max-workspace; < 0: none
  int64_t device_bytes = -1;  ///< the device's total memory; < 0: unknown
};

/// Throws TrialError(SKIPPED) naming the need and the limit when `needed_bytes` is above either limit:
/// "needs 153.4 GB workspace; device has 150.1 GB" or "needs 2097152 bytes of workspace (2.1 MB), above the
/// cap of 1048576 bytes (--max-workspace)".
void check_workspace(int64_t needed_bytes, const WorkspaceLimits& limits);

/// The host's physical memory in bytes (the CPU backends' "device"), or -1 when unknown.
[[nodiscard]] int64_t host_memory_bytes();

/// "153.4 GB", "2.1 MB", "512 bytes" (decimal units, as device vendors quote memory).
[[nodiscard]] std::string decimal_bytes(int64_t bytes);

}  // namespace convprobe
