// Legacy cuDNN convolution API (cudnnConvolutionForward / BackwardData / BackwardFilter): one candidate per
// (algorithm enum, math type) whose workspace query succeeds, run directly with the workspace it reports
// (never through cudnnFind, whose statuses mislead when it is given less workspace than an algorithm needs).
//
// Ids: legacy.<fwd|bwdd|bwdw>.<ALGO>.<fma|tensor_op|tensor_op_conv>, family "legacy".
#pragma once

#include <cudnn.h>

#include <memory>
#include <vector>

#include "conv_runner.hpp"
#include "convprobe/candidate.hpp"
#include "convprobe/problem.hpp"

namespace convprobe::cudnn {

/// Every applicable legacy candidate (math types that compute f32 data in TF32 are noted tensor_core,tf32).
[[nodiscard]] std::vector<Candidate> legacy_candidates(cudnnHandle_t handle, const Problem& p);
/// Rebuild a legacy candidate from its attrs. Throws CudnnError (the status picks the verdict).
[[nodiscard]] std::unique_ptr<ConvRunner> make_legacy_runner(cudnnHandle_t handle, const Problem& p,
                                                             const Candidate& c);

}  // namespace convprobe::cudnn
