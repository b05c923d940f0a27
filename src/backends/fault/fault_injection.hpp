// The faults themselves. The worker-ending ones never return; the others build a CPU kernel for the shared
// trial runner (core/host_trial.hpp) whose output is correct, wrong, NaN or partial as the kind says.
#pragma once

#include <memory>
#include <string>

#include "backends/fault/fault_spec.hpp"
#include "convprobe/backend.hpp"
#include "core/host_trial.hpp"

namespace convprobe::fault {

/// Hang, segv, abort or exit: does it, never returns. Garbage: writes junk to `protocol_fd` and returns.
void end_worker(Kind kind, int protocol_fd);

/// The correct output of one problem for one input seed, computed once (fp64 reference, rounded to the
/// storage type) and shared by every candidate of the problem: the faults' "computation" is a copy of it,
/// so a whole selftest costs one reference per problem.
class CorrectOutputCache {
 public:
  const HostTensor& get(const Problem& p, const ConvTensors& inputs, uint64_t seed);

 private:
  std::string key_;
  HostTensor output_;
};

/// The kernel for a fault that keeps its worker (ok, slow, error, wrong, nan, partial, badtime, oom).
[[nodiscard]] HostKernel make_kernel(Kind kind, const Problem& p, const TrialOptions& options,
                                     CorrectOutputCache& cache);

}  // namespace convprobe::fault
