// Graph-API candidates of one problem: for every engine global index that finalizes, its default config,
// every config heuristics modes A, B and FALLBACK return, and `knob_samples` seeded random valid configs. Ids
// are cudnn-frontend plan tags; configs an errata file (CUDNN_ERRATA_JSON_FILE) blocks are not offered.
#pragma once

#include <cudnn.h>

#include <string>
#include <vector>

#include "convprobe/candidate.hpp"
#include "convprobe/problem.hpp"
#include "convprobe/trial.hpp"
#include "cudnn_options.hpp"
#include "listing_profile.hpp"
#include "vendor/cudnn_errata.hpp"

namespace convprobe::cudnn {

struct EngineEnumeration {
  std::vector<Candidate> candidates;
  int64_t engine_count = 0;                      ///< ENGINE_GLOBAL_COUNT of the graph
  int64_t engines_supported = 0;                 ///< engines whose finalize succeeded
  int64_t blocked_by_errata = 0;                 ///< configs dropped by the errata file
  std::vector<int64_t> engines_dropped_by_math;  ///< engines --math excludes (no config finalized)
  std::string graph_status;                      ///< why no engine applies (graph rejected), else empty
};

/// `seed` seeds the knob samples (TrialOptions::seed); `options` are the backend's own (--math,
/// --knob-samples).
[[nodiscard]] EngineEnumeration engine_candidates(cudnnHandle_t handle, const Problem& p, uint64_t seed,
                                                  const CudnnOptions& options, const Errata& errata,
                                                  uint64_t cudnn_version, ListingProfile& profile);

/// Numerical and behaviour notes as candidate notes ("tensor_core,down_convert,nondeterministic,...").
[[nodiscard]] std::string engine_notes(const std::vector<int>& numerical, const std::vector<int>& behavior);

/// Whether a candidate computing f32 data in TF32 (`tf32_math`) is wanted under --math `math` for `p`:
/// strict drops it, tf32 keeps only such candidates, both keeps all; a tf32 problem behaves as tf32;
/// f16/bf16 problems keep everything. Throws std::invalid_argument for an unknown math option.
[[nodiscard]] bool math_allows(const Problem& p, const std::string& math, bool tf32_math);

}  // namespace convprobe::cudnn
