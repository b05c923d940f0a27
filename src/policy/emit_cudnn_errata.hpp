// cudnn-errata: the JSON that cudnn-frontend (and PyTorch through it) reads from CUDNN_ERRATA_JSON_FILE
// (docs/policy.md, "cudnn-errata"; the reader's format: FACTS §2, vendor/cudnn_errata.hpp).
#pragma once

#include "policy/emitters.hpp"
#include "vendor/cudnn_plan_tag.hpp"
#include "vendor/cudnn_errata.hpp"

namespace convprobe {

struct ErrataDecision {
  /// convprobe's rules (rule_id "convprobe:<plan tag>", in the policy's order), then PyTorch's built-in ones.
  std::vector<cudnn::ErrataRule> rules;
  std::vector<std::string> notes;  ///< blocked, skipped and not-blocked candidates and warnings, for stderr
};

/// One rule per blocked plan tag: the engine, the whole knob suffix as ONE string (knobs match by substring:
/// "k2=1" alone would also block k2=18), the measured cuDNN minor series [9.19.0, 9.20.0) (every version when
/// unknown), no shape fields (PyTorch ignores them, so every rule blocks its config for every shape).
/// Legacy algorithms cannot be expressed (skipped). A slow engine default config (tag without knobs) is not
/// written while another config of that engine is kept: its rule would match every config of the engine.
/// PyTorch's built-in 3-D rules are carried, because a loaded file replaces them.
[[nodiscard]] ErrataDecision decide_cudnn_errata(const Policy& policy,
                                                 const std::vector<StoredTrial>& trials);
/// The errata JSON ("engine" a JSON integer: a string makes every PyTorch convolution raise) and the export
/// step.
[[nodiscard]] EmitResult render_cudnn_errata(const ErrataDecision& decision, const EmitInput& in);
/// Claims every JSON document with a "rules" key; refuses rules cudnn-frontend would choke on.
ReadBack read_back_cudnn_errata(const PolicyText& file, PolicySource* out, std::string* err);

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
