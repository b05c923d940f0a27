// One oneDNN implementation bound to a problem, as the shared CPU trial runner wants it (HostKernel):
// the primitive with a user-owned scratchpad, the implementation's memories in the formats it chose, and
// reorders between those and convprobe's plain tensors (outside timing).
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include "convprobe/candidate.hpp"
#include "convprobe/problem.hpp"
#include "convprobe/trial.hpp"
#include "core/host_trial.hpp"

namespace convprobe::onednn {

/// Below this many bytes for all tensors of one buffer set, the kernel keeps several sets and rotates
/// among them while timing, so repeats do not just measure cache-hot reuse of one set.
inline constexpr int64_t kRotateBelowBytes = int64_t{8} << 20;
inline constexpr int kRotatingSets = 4;

/// Sets up the candidate's primitive. Throws TrialError: UNSUPPORTED when oneDNN no longer offers the
/// implementation, SKIPPED when its scratchpad exceeds options.max_workspace_bytes, OOM / FAILED from
/// oneDNN's status. The returned kernel's functions throw TrialError likewise.
[[nodiscard]] HostKernel make_kernel(const Problem& p, const Candidate& c, const TrialOptions& options,
                                     const dnnl::engine& engine, const dnnl::stream& stream);

/// The verdict a oneDNN status maps to: unimplemented -> UNSUPPORTED, out_of_memory -> OOM, else FAILED.
/// The detail names the step, the status and oneDNN's message.
[[nodiscard]] TrialError to_trial_error(const dnnl::error& e, const char* step);

}  // namespace convprobe::onednn
