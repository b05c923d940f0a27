// Splitting separated lists ("0,1", "jit:*,gemm*", PATH-like strings): every item, empty ones included, so
// callers decide whether an empty item is an error or is skipped.
#pragma once

#include <string_view>
#include <vector>

namespace convprobe {

/// "a,b" → {"a", "b"}; "" → {""}; "a," → {"a", ""}. Views into `text`.
[[nodiscard]] inline std::vector<std::string_view> split_list(std::string_view text, char separator) {
  std::vector<std::string_view> items;
  size_t start = 0;
  for (;;) {
    const size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      items.push_back(text.substr(start));
      return items;
    }
    items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace convprobe
