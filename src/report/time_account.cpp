#include "report/time_account.hpp"

#include <fmt/core.h>

#include <cmath>

namespace convprobe {

TimeAccount account_time(const std::vector<ReportedTrial>& trials, double wall_s, double startup_s,
                         double listed_s) {
  TimeAccount a;
  a.wall_s = wall_s;
  a.startup_s = startup_s;
  a.listing_s = listed_s - startup_s;
  double kernel_ms = 0;
  bool counted = true;
  for (const auto& t : trials) {
    const auto& time = t.result.time;
    if (!time || !std::isfinite(time->median_ms)) continue;
    ++a.timed;
    counted = counted && time->launches > 0;
    kernel_ms += time->median_ms * static_cast<double>(time->launches);
  }
  a.kernel_s = counted ? kernel_ms / 1000 : -1;
  return a;
}

std::string time_account_text(const TimeAccount& a) {
  std::string text = fmt::format("wall {:.1f} s (backend start {:.1f} s, listing candidates {:.1f} s)",
                                 a.wall_s, a.startup_s, a.listing_s);
  if (a.timed == 0) return text + "; no timed trials";
  if (a.kernel_s < 0) return text + "; kernel time unknown (the backend does not count launches)";
  text += fmt::format("; candidates' kernel time {:.1f} s (median x launches over {} timed trial(s))",
                      a.kernel_s, a.timed);
  if (a.kernel_s > 0) text += fmt::format(": wall/kernel {:.2f}", a.wall_s / a.kernel_s);
  return text;
}

nlohmann::json time_account_json(const TimeAccount& a) {
  nlohmann::json j{{"wall_s", a.wall_s},
                   {"startup_s", a.startup_s},
                   {"listing_s", a.listing_s},
                   {"timed_trials", a.timed}};
  j["kernel_s"] = a.kernel_s >= 0 ? nlohmann::json(a.kernel_s) : nlohmann::json(nullptr);
  j["wall_per_kernel"] = a.kernel_s > 0 ? nlohmann::json(a.wall_s / a.kernel_s) : nlohmann::json(nullptr);
  return j;
}

}  // namespace convprobe
