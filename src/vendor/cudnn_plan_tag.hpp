// cudnn-frontend's execution plan tag (ExecutionPlan::buildTag): <operation>_eng<index>{_k<knob
// type>=<value>}, knobs in the order the finalized engine config returns them (FACTS §2). The tag is a cuDNN
// candidate's id and what an errata rule matches, so it is written and read here only: the cuDNN backend
// writes it, the errata emitter and matcher read it. No cuDNN dependency.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace convprobe::cudnn {

/// Knob choices of an engine config: (knob type, value), in config order.
using PlanKnobs = std::vector<std::pair<int64_t, int64_t>>;

/// A plan tag taken apart, e.g. ConvFwd_eng67_k2=5_k13=0 -> {"ConvFwd", 67, "k2=5_k13=0"}.
struct PlanTag {
  std::string operation;  ///< ConvFwd, ConvBwdData or ConvBwdFilter
  int64_t engine = -1;
  std::string knobs;  ///< the whole knob suffix without the leading '_' (empty: the engine's default config)
};

/// "ConvFwd_eng67_k2=5_k13=0" from the operation tag, the engine's global index and its knob choices.
[[nodiscard]] std::string format_plan_tag(std::string_view operation, int64_t engine, const PlanKnobs& knobs);
/// The tag a PlanTag stands for: format_plan_tag's text, and parse_plan_tag's inverse.
[[nodiscard]] std::string to_string(const PlanTag& tag);
/// "<operation>_eng<engine>_": what every tag of that engine starts with, once '_' is appended to the tag
/// (so engine 6 does not match engine 67). Errata rules match by this prefix.
[[nodiscard]] std::string engine_prefix(std::string_view operation, int64_t engine);
/// False for anything that is not a plan tag (legacy algorithm candidates, malformed ids).
bool parse_plan_tag(const std::string& id, PlanTag* out);

}  // namespace convprobe::cudnn
