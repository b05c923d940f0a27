// The axes of a problem that can be named: by bisect (`--axis`, walked from --from to --to) and by the fault
// backend's thresholds (`fault.hang@hw>42`). One meaning for each name, so a threshold and a bisect over the
// same axis agree on every problem (docs/problems.md, "Axes"):
//
//   hw  reads max(H, W); setting it sets H and W (the problem becomes square)
//   h   H            w  W
//   c   input channels (setting it keeps a depthwise problem depthwise: g = C = K)
//   k   output channels
//   n   batch
//   r   filter height R (setting it sets S too when the filter is square, and keeps "same" padding)
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "convprobe/problem.hpp"

namespace convprobe {

enum class Axis { hw, h, w, c, k, n, r };

/// Every axis with its name, in the order messages list them.
inline constexpr std::array<std::pair<Axis, std::string_view>, 7> kAxisNames{{{Axis::hw, "hw"},
                                                                              {Axis::h, "h"},
                                                                              {Axis::w, "w"},
                                                                              {Axis::c, "c"},
                                                                              {Axis::k, "k"},
                                                                              {Axis::n, "n"},
                                                                              {Axis::r, "r"}}};

/// "hw" -> Axis::hw, ...; false for anything else.
bool parse_axis(std::string_view text, Axis* out);
[[nodiscard]] std::string_view to_string(Axis axis);

/// The axis's value in a problem (hw: max(H, W)).
[[nodiscard]] int64_t axis_value(const Problem& p, Axis axis);

/// `base` with the axis set to `value` (hw: H and W; r: R, and S when the filter is square; when `base` had
/// "same" padding, symmetric with pad == (R-1)/2 on that axis, it is kept: both pads = (value-1)/2; c keeps a
/// depthwise problem depthwise). The label is dropped. Returns validate()'s message (empty when the problem
/// is valid).
std::string with_axis_value(const Problem& base, Axis axis, int64_t value, Problem* out);

}  // namespace convprobe
