// Where a sweep's time went: its wall time against its candidates' own kernel time (median x launches, summed
// over timed trials). Shown under the table and as the document's "time" (docs/json-schema.md).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/trial_report.hpp"

namespace convprobe {

/// `kernel_s` < 0 when some timed trial did not count its launches.
struct TimeAccount {
  double wall_s = 0, startup_s = 0, listing_s = 0, kernel_s = 0;  ///< listing_s: after startup
  size_t timed = 0;
};

/// `startup_s`: until the backend answered; `listed_s`: until every problem's candidates were listed
/// (startup included); `wall_s`: the whole sweep.
[[nodiscard]] TimeAccount account_time(const std::vector<ReportedTrial>& trials, double wall_s,
                                       double startup_s, double listed_s);
/// "wall 12.3 s (backend start 0.4 s, listing candidates 1.2 s); candidates' kernel time 8.0 s (median x
/// launches over 120 timed trials): wall/kernel 1.54".
[[nodiscard]] std::string time_account_text(const TimeAccount& a);
[[nodiscard]] nlohmann::json time_account_json(const TimeAccount& a);

}  // namespace convprobe
