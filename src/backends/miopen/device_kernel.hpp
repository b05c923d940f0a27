// One MIOpen solver on one problem, as a HostKernel for the shared trial runner (run_host_trial): device
// buffers, applicability, (forced) Find, compile, then per run an Immediate call timed with HIP events.
// The fp64 reference and the verification stay on the host, computed once per problem.
#pragma once

#include <string>
#include <vector>

#include "backends/miopen/framework_pick.hpp"
#include "backends/miopen/runtime.hpp"
#include "core/host_trial.hpp"

namespace convprobe::miopen {

struct TrialEnvironment {
  const Runtime* rt = nullptr;
  miopen_abi::Handle handle = nullptr;
  miopen_abi::Stream stream = nullptr;
  /// Value of MIOPEN_DEBUG_FIND_ONLY_SOLVER when this process started ("" when unset): this worker is the
  /// dedicated worker for that solver, and MIOpen's Find sees only it.
  std::string forced_solver;
  /// This process's framework mode (framework_pick.hpp): a framework candidate runs only in its own mode.
  FrameworkMode framework = FrameworkMode::off;
  /// Where a framework candidate's pick goes (TrialResult::picked); may be null.
  std::vector<std::string>* picked = nullptr;
};

/// Build the kernel for `c` (throws TrialError with UNSUPPORTED / FAILED / OOM / SKIPPED as appropriate).
[[nodiscard]] HostKernel make_device_kernel(const TrialEnvironment& env, const Problem& p, const Candidate& c,
                                            const TrialOptions& options);

}  // namespace convprobe::miopen
