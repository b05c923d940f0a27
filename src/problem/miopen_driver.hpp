// MIOpenDriver `conv` command lines as problem input (parse_miopen_driver, include/convprobe/problem.hpp):
// how a line is told apart from a benchdnn descriptor.
#pragma once

#include <string_view>

namespace convprobe {

/// MIOpenDriver command lines start with a flag, a "conv*" command, or the driver's own path.
[[nodiscard]] bool looks_like_miopen_driver(std::string_view text);

}  // namespace convprobe
