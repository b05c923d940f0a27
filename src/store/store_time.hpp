// Timestamps the store writes: ISO 8601 UTC with milliseconds, e.g. "2026-11-25T14:03:07.123Z". They sort
// as text, so SQL ORDER BY on them is chronological.
#pragma once

#include <fmt/core.h>

#include <chrono>
#include <ctime>
#include <string>

namespace convprobe::store_detail {

[[nodiscard]] inline std::string utc_now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                     utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, ms);
}

}  // namespace convprobe::store_detail
