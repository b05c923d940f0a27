// Small string helpers shared by the problem parsers.
#pragma once

#include <string_view>
#include <vector>

namespace convprobe {

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

inline std::vector<std::string_view> split_whitespace(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    const size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

/// MIOpenDriver command lines start with a flag, a "conv*" command, or the driver's own path. A first word
/// with a '"' in it is a descriptor whose quoted label starts there (mb1ic3ih8oc4n"MIOpenDriver conv"), never
/// a path: the router must not look into a label, or a printed problem would not read back.
inline bool looks_like_miopen_driver(std::string_view t) {
  if (t.empty()) return false;
  if (t.front() == '-' || t.substr(0, 4) == "conv") return true;
  const std::string_view first = t.substr(0, t.find_first_of(" \t"));
  constexpr std::string_view kDriver = "MIOpenDriver";
  return first.find('"') == std::string_view::npos && first.size() >= kDriver.size() &&
         first.substr(first.size() - kDriver.size()) == kDriver;
}

}  // namespace convprobe
