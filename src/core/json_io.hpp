// JSON forms of the core types: the worker protocol, the store and --json output all use these, so a field
// has one name everywhere (docs/json-schema.md).
#pragma once

#include <nlohmann/json.hpp>

#include "convprobe/backend.hpp"

namespace convprobe {

[[nodiscard]] nlohmann::json to_json(const Candidate& c);
[[nodiscard]] Candidate candidate_from_json(const nlohmann::json& j);
[[nodiscard]] nlohmann::json to_json(const TrialResult& r);
[[nodiscard]] TrialResult trial_result_from_json(const nlohmann::json& j);
[[nodiscard]] nlohmann::json to_json(const TrialOptions& o);
[[nodiscard]] TrialOptions trial_options_from_json(const nlohmann::json& j);
[[nodiscard]] nlohmann::json to_json(const BackendInfo& info);
[[nodiscard]] BackendInfo backend_info_from_json(const nlohmann::json& j);

}  // namespace convprobe
