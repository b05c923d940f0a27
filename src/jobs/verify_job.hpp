// The `verify` job: which backend and problems are behind a policy file (the policy itself, else the stored
// verdicts), a session of fresh supervised workers started with the policy's environment (it must be in place
// before the vendor library loads), run_verify, and optionally the PyTorch check with the policy.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "jobs/session.hpp"
#include "jobs/torch_check.hpp"
#include "jobs/verify_policy.hpp"

namespace convprobe {

class VerifyPrinter;

struct VerifyJobOptions {
  std::string policy_path;      ///< --policy
  std::string framework;        ///< --framework: empty or "torch"
  bool all_candidates = false;  ///< run every listed candidate, not only those with a stored verdict
  std::string db_path;          ///< --db: the verdicts before the policy (empty: the default database)
  SessionOptions session;       ///< executor.backend empty: the policy's own backend
  TrialOptions trial;
};

struct VerifyOutcome {
  PolicySource source;
  std::string backend;
  std::vector<Problem> problems;
  VerifyReport report;
  std::optional<TorchCheckResult> torch;  ///< with --framework torch
  bool ok = false;  ///< every problem passes, no errors, and the torch check passed (or was SKIPPED)
};

/// Throws UsageError for bad input (a framework, a policy file, a backend that does not fit, no problems to
/// verify) and DbLocationError when a named --db is missing; std::runtime_error when the backend is
/// unavailable. Shows its progress through `printer`.
[[nodiscard]] VerifyOutcome run_verify_job(const VerifyJobOptions& options, const VerifyPrinter& printer);

}  // namespace convprobe
