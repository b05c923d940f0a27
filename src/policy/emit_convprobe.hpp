// convprobe: the Policy itself as JSON (policy/policy_file.hpp), which `verify`, `run` and `sweep --policy
// FILE` read back. The format can say everything the model decided, so its decision is the Policy unchanged.
#pragma once

#include "policy/emitters.hpp"

namespace convprobe {

/// The whole Policy: blocked candidates with their evidence, preferred ones, environment.
[[nodiscard]] Policy decide_convprobe(const Policy& policy, const std::vector<StoredTrial>& trials);
[[nodiscard]] EmitResult render_convprobe(const Policy& decision, const EmitInput& in);
/// Claims every JSON document that is not an errata file (one without a "rules" key).
ReadBack read_back_convprobe(const PolicyText& file, PolicySource* out, std::string* err);

}  // namespace convprobe
