// The policy written for a framework or library. Each emitter turns the one Policy model into one file
// format; none of them decides what to block (policy_model does). Free text (problem labels, details, paths)
// reaches a file only through nlohmann::json (JSON) or sanitize_comment (shell comments).
#pragma once

#include <string>
#include <vector>

#include "policy/policy_model.hpp"
#include "vendor/cudnn_plan_tag.hpp"

namespace convprobe {

struct EmitInput {
  const Policy* policy = nullptr;
  /// The trials the policy came from (the same backend): emitters use them to see which families or ISAs
  /// still pass, so that they never switch off everything that works.
  const std::vector<StoredTrial>* trials = nullptr;
  /// Absolute path the file will be written to, or empty for stdout (used in install/export hints).
  std::string output_path;
};

struct EmitResult {
  std::string content;             ///< the file
  std::vector<std::string> notes;  ///< for stderr: warnings, skipped candidates, the install/export step
};

[[nodiscard]] EmitResult emit_convprobe(const EmitInput& in);
[[nodiscard]] EmitResult emit_miopen_env(const EmitInput& in);
[[nodiscard]] EmitResult emit_cudnn_errata(const EmitInput& in);
[[nodiscard]] EmitResult emit_onednn_env(const EmitInput& in);

/// cudnn-frontend execution plan tags (ConvFwd_eng67_k2=5_k13=0) are written and read in vendor/ only.
using cudnn::parse_plan_tag;
using cudnn::PlanTag;

/// The --block-slower yardstick for cudnn-errata (PolicyOptions::yardstick): an engine config that
/// cudnn-frontend's users can be offered on that problem. PyTorch builds its list from heuristics mode
/// INSTANT
/// (= A) and FALLBACK (attrs.source heur_a / fallback) and always drops DOWN_CONVERT_INPUTS engines; an
/// engine's default config, sampled knobs and legacy algorithms never reach it.
[[nodiscard]] bool cudnn_heuristics_offered(const StoredTrial& trial);

/// CUDNN_VERSION-style integer (major*10000 + minor*100 + patch) from text such as "cuDNN 9.19.0"; -1 if
/// none.
[[nodiscard]] int64_t cudnn_version_number(const std::string& text);

}  // namespace convprobe
