// `verify --framework torch`: run each problem through PyTorch with the policy in its environment, check the
// output against a CPU fp64 reference computed by torch, and time PyTorch's convolution with and without the
// policy (CUDA-graph replay where CUDA is available). Each side is a separate python3 process, because
// PyTorch reads CUDNN_ERRATA_JSON_FILE (and MIOpen its variables) once per process. The Python side is
// src/jobs/torch_check.py, embedded at build time (jobs/embedded_files.hpp).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "convprobe/problem.hpp"

namespace convprobe {

struct TorchCheckResult {
  bool ran = false;                ///< false: SKIPPED (reason in skipped_reason), never a pass
  std::string skipped_reason;      ///< "torch not available: ..."
  bool ok = false;                 ///< every problem ran and matched the reference under the policy
  nlohmann::json report;           ///< {"with_policy": {...}, "without_policy": {...}, "problems": [...]}
  std::vector<std::string> lines;  ///< human summary, one line per problem plus a total
};

/// Run the check. `policy_env` is set for the "with" process and removed for the "without" process.
[[nodiscard]] TorchCheckResult run_torch_check(const std::vector<Problem>& problems,
                                               const std::map<std::string, std::string>& policy_env,
                                               int timeout_s = 1800);

}  // namespace convprobe
