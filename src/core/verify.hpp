// Verification against the fp64 reference. The reference is computed once per problem (ReferenceData) and
// reused for every candidate. Large problems are checked at a seeded sample of output points, plus a full
// scan of every output for NaN, Inf and untouched poison.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "convprobe/candidate.hpp"
#include "convprobe/trial.hpp"
#include "core/tensor.hpp"

namespace convprobe {

/// Reference values for one problem and one input seed: every point, or a sorted sample of points.
struct ReferenceData {
  bool sampled = false;
  uint64_t seed = 0;
  std::vector<int64_t> offsets;  ///< sampled: physical offsets of the points; full: empty (all points)
  std::vector<double> values;    ///< reference at each point
  double norm = 0;               ///< ||ref|| over the points
};

/// Decide full vs sampled (options.full_verify_max_macs, options.sample_points) and compute the reference.
[[nodiscard]] ReferenceData compute_reference(const Problem& p, const ConvTensors& t, const TrialOptions& options);

/// Relative error bound for the problem's type, scaled by reduction length for f32; documented in
/// docs/verification.md. A candidate with the down_convert note is judged by TF32 bounds.
[[nodiscard]] double error_threshold(const Problem& p, const Candidate& c);
/// "f32", "tf32", "f16" or "bf16": the arithmetic the threshold assumed.
[[nodiscard]] std::string math_label(const Problem& p, const Candidate& c);

struct VerifyOutcome {
  Verdict verdict = Verdict::pass;  ///< pass or mismatch
  std::string detail;               ///< "rel_err 3.1e-07 <= 1.0e-05", "12 NaN", "4096 untouched (poison)", ...
  double rel_err = -1;
  VerifyInfo info;
};

/// Compare an output tensor with the reference: full scan for NaN / Inf / poison, then ||out-ref||/||ref||.
[[nodiscard]] VerifyOutcome verify_output(const Problem& p, const Candidate& c, const HostTensor& out,
                                          const ReferenceData& ref);

}  // namespace convprobe
