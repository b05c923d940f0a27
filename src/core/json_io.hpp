// JSON forms of the core types: the worker protocol, the store and --json output all use these, so a field
// has one name everywhere (docs/json-schema.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "convprobe/backend.hpp"

namespace convprobe {

/// `v` as T when it is a JSON integer within T's range; nothing for anything else (a float, a string, an
/// integer out of range). Every integer read from a worker's message goes through here: nlohmann's get<T>()
/// converts a float too, and a float out of T's range is undefined behaviour (-1.2e3 as uint64_t).
template <typename T>
[[nodiscard]] std::optional<T> integer_of(const nlohmann::json& v) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<uint64_t>();
    if (std::in_range<T>(u)) return static_cast<T>(u);
  } else if (v.is_number_integer()) {
    const auto i = v.get<int64_t>();
    if (std::in_range<T>(i)) return static_cast<T>(i);
  }
  return std::nullopt;
}

[[nodiscard]] nlohmann::json to_json(const Candidate& c);
[[nodiscard]] Candidate candidate_from_json(const nlohmann::json& j);
[[nodiscard]] nlohmann::json to_json(const TrialResult& r);
[[nodiscard]] TrialResult trial_result_from_json(const nlohmann::json& j);
/// Timed samples (Timing::samples_ms) as a JSON array: a non-finite sample is null, and reads back as NaN.
/// The worker protocol and the store's trials.time_samples_json both use this form.
[[nodiscard]] nlohmann::json samples_to_json(const std::vector<double>& samples);
/// The inverse; anything but an array reads as no samples.
[[nodiscard]] std::vector<double> samples_from_json(const nlohmann::json& j);
[[nodiscard]] nlohmann::json to_json(const TrialOptions& o);
[[nodiscard]] TrialOptions trial_options_from_json(const nlohmann::json& j);
[[nodiscard]] nlohmann::json to_json(const BackendInfo& info);
[[nodiscard]] BackendInfo backend_info_from_json(const nlohmann::json& j);

}  // namespace convprobe
