#include "core/workspace_limit.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include "convprobe/trial.hpp"

namespace convprobe {

std::string decimal_bytes(int64_t bytes) {
  constexpr const char* kUnits[] = {"kB", "MB", "GB", "TB", "PB"};
  if (bytes < 1000) return fmt::format("{} bytes", bytes);
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1000 && unit < 4) {
    value /= 1000;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

void check_workspace(int64_t needed_bytes, const WorkspaceLimits& limits) {
  if (limits.cap_bytes >= 0 && needed_bytes > limits.cap_bytes) {
    throw TrialError(
        Verdict::skipped,
        fmt::format("needs {} bytes of workspace ({}), above the cap of {} bytes (--max-workspace)",
                    needed_bytes, decimal_bytes(needed_bytes), limits.cap_bytes));
  }
  if (limits.device_bytes > 0 && needed_bytes > limits.device_bytes) {
    throw TrialError(Verdict::skipped,
                     fmt::format("needs {} workspace; device has {}", decimal_bytes(needed_bytes),
                                 decimal_bytes(limits.device_bytes)));
  }
}

int64_t host_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page_size > 0 ? static_cast<int64_t>(pages) * page_size : -1;
}

}  // namespace convprobe
