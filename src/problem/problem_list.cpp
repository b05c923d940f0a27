#include "problem/problem_list.hpp"

#include <string>
#include <unordered_map>
#include <utility>

namespace convprobe {

std::vector<Problem> merge_same_problems(std::vector<Problem> problems) {
  std::vector<Problem> merged;
  std::unordered_map<std::string, size_t> seen;  // key -> position in merged
  for (auto& problem : problems) {
    const auto [it, first] = seen.emplace(key(problem), merged.size());
    if (first) {
      merged.push_back(std::move(problem));
    } else {
      merged[it->second].runs += problem.runs;
    }
  }
  return merged;
}

}  // namespace convprobe
