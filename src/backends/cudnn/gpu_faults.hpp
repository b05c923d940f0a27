// Self-test faults of the cuDNN backend, listed only with CONVPROBE_GPU_FAULTS=1: a kernel that never ends
// (HANG), an illegal address (CRASH, the context is lost) and an allocation beyond free memory (OOM).
#pragma once

#include <vector>

#include "convprobe/backend.hpp"
#include "gpu_session.hpp"

namespace convprobe::cudnn {

/// fault.gpu_hang, fault.gpu_illegal_address, fault.gpu_oom.
[[nodiscard]] std::vector<Candidate> gpu_fault_candidates();
[[nodiscard]] TrialResult run_gpu_fault(const Candidate& c, TrialContext& context, GpuSession& session);

}  // namespace convprobe::cudnn
