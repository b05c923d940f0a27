#include "convprobe/candidate.hpp"

#include <string_view>

#include "base/text.hpp"

namespace convprobe {

bool Candidate::has_note(const std::string& note) const {
  std::string_view rest = notes;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    if (rest.substr(0, comma) == note) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

bool glob_match(const std::string& pattern, const std::string& text) {
  // Iterative matcher with single-star backtracking: linear in practice, no recursion depth issues.
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool matches_any(const std::string& patterns, const std::string& id) {
  if (patterns.empty()) return true;
  for (std::string_view pattern : split_list(patterns, ',')) {
    if (!pattern.empty() && glob_match(std::string(pattern), id)) return true;
  }
  return false;
}

}  // namespace convprobe
