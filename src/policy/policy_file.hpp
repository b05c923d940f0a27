// convprobe's own policy file (`policy --emit convprobe`): the Policy as JSON, which `verify`, `run` and
// `sweep --policy FILE` read back. Schema (docs/policy.md):
//   {"schema_version": 1, "kind": "convprobe-policy", "backend": "...", "backend_version": "...", "runs":
//   [1],
//    "blocked": [{"candidate": "...", "family": "...", "reason": "...", "slow": false,
//                 "evidence": [{"problem": "...", "verdict": "HANG", "detail": "...", "run_id": 1}]}],
//    "preferred": [{"problem": "...", "candidate": "...", "median_ms": 0.1}],
//    "env": {"NAME": "value"}}
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "policy/policy_model.hpp"

namespace convprobe {

[[nodiscard]] nlohmann::json policy_to_json(const Policy& policy);
/// Parse a policy document; false with *err naming the field, the value and what was expected.
bool policy_from_json(const nlohmann::json& doc, Policy* out, std::string* err);
/// Read and parse a policy file; false with *err naming the file.
bool load_policy(const std::string& path, Policy* out, std::string* err);

/// The candidates the policy does not block (order kept). Blocked ones go to *removed when given.
/// Callers check policy.backend against the backend they run: a policy applies to one backend only.
[[nodiscard]] std::vector<Candidate> apply_policy(const Policy& policy,
                                                  const std::vector<Candidate>& candidates,
                                                  std::vector<Candidate>* removed = nullptr);

}  // namespace convprobe
