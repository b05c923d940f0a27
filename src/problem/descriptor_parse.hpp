// Reading a descriptor under a chosen rule for an axis with its own input and kernel keys: the rule of
// today (benchdnn's) or the one convprobe used before, which the store needs to read keys it wrote then.
#pragma once

#include <string>
#include <string_view>

#include "convprobe/problem.hpp"

namespace convprobe {

/// What a missing stride, dilation or padding of an axis with its own input and kernel keys (`iw16kw1`, or
/// h in a 3-D line with keys on both h and w) becomes.
enum class OwnAxisRule {
  benchdnn_defaults,  ///< benchdnn's defaults (s1, d0, p0 or derived from the output size): parse_problem
  copy_parent,  ///< the parent axis's value (sw, dw, pw copy sh, dh, ph): convprobe up to store schema 2
};

/// Parses a descriptor (not MIOpenDriver flags) with `rule`; otherwise exactly as parse_problem.
bool parse_descriptor_with_rule(std::string_view text, OwnAxisRule rule, Problem* out, std::string* err);

}  // namespace convprobe
