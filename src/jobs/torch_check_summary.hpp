// The torch check's judgement of what its python3 processes wrote (torch_check.cpp runs them): two runs of a
// side merged into one, cudnn-frontend's errata log read back, and per problem a row and a line (FAIL, or the
// speedup with the policy), with the median speedup.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "jobs/torch_check.hpp"

namespace convprobe {

/// cudnn-frontend's errata log ("Verifying <tag>. Blocking." / "... Passed."): the plan tags PyTorch itself
/// refused because of the file, and how many plans it checked.
[[nodiscard]] nlohmann::json errata_log_summary(const std::string& path);

/// The two runs of one side: their mean per problem (the A-B-B-A order cancels linear drift), correctness
/// from both (a problem is correct only if it was correct in both processes).
[[nodiscard]] nlohmann::json merge_runs(const nlohmann::json& a, const nlohmann::json& b);

/// result->report["problems"] and one line per problem from the merged sides (`without` may be null), then
/// the median speedup; result->ok when every problem ran and matched the reference with the policy.
void summarize_problems(const nlohmann::json& with, const nlohmann::json& without, TorchCheckResult* result);

}  // namespace convprobe
