// One cuDNN trial on the GPU, as the cuDNN runner's steps of the shared phase skeleton
// (core/trial_phases.hpp): set up (problem state once per problem, execution plan or legacy algorithm,
// workspace), poison and run once, verify against the GPU fp64 reference, time. Every ordinary failure
// becomes a verdict; a sticky CUDA error becomes CRASH with restart_worker set (the context is unusable; the
// worker must be replaced).
#pragma once

#include "convprobe/backend.hpp"
#include "gpu_session.hpp"

namespace convprobe::cudnn {

/// The candidate as the verifier should judge it: f32 data computed in TF32 (note "tf32") gets the
/// down_convert note so error_threshold()/math_label() apply TF32 bounds and say so.
[[nodiscard]] Candidate judged_as(const Candidate& c);

[[nodiscard]] TrialResult run_cudnn_trial(const Problem& p, const Candidate& c, const TrialOptions& options,
                                          TrialContext& context, GpuSession& session);

}  // namespace convprobe::cudnn
