// The double's convolution paths, as MIOpen runs them: the immediate-mode listing (find-db record or the WTI
// fallback), GetSolutionWorkspaceSize, CompileSolution, Immediate and Find with its four find modes. Each
// function names the MIOpen source it follows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "double_run.hpp"

namespace convprobe_double {

/// miopenHandle_t: the device current when it was created, and its invoker cache (per handle in MIOpen:
/// a std::map, so a fresh process starts empty).
struct Handle {
  int device = 0;
  std::set<std::pair<std::string, uint64_t>> invokers;  ///< (find-db key, solver id)
};

/// miopenConvSolution_t
struct Solution {
  float time;
  size_t workspace;
  uint64_t id;
  int algo;
};

/// miopenConvAlgoPerf_t
struct Perf {
  int algo;
  float time;
  size_t memory;
};

int solution_list(Handle& h, const convprobe::Problem& p, size_t max, size_t* count, Solution* out);
int workspace_size(const convprobe::Problem& p, uint64_t id, size_t* ws);
int compile_solution(Handle& h, const convprobe::Problem& p, uint64_t id);
int immediate(Handle& h, const Bound& b, size_t ws_size, uint64_t id);
int find_algorithms(Handle& h, const Bound& b, int request, int* returned, Perf* perf, size_t ws_size);

}  // namespace convprobe_double
