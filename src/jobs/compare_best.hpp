// Per problem, the best candidate of each run and how much it changed; and the geometric means of the time
// ratios per backend, data type and direction (docs/compare.md). The best candidate is the fastest timed PASS
// as policy/fastest_pass.hpp ranks them (what `policy --emit miopen-finddb` steers to, and what a framework
// that benchmarks its candidates, as PyTorch's cudnn.benchmark does, ends up using).
#pragma once

#include <vector>

#include "report/comparison.hpp"

namespace convprobe {

/// One BestChange per problem both runs have. `a`, `b`: one trial per (problem, backend, candidate).
[[nodiscard]] std::vector<BestChange> compare_best(const std::vector<StoredTrial>& a,
                                                   const std::vector<StoredTrial>& b,
                                                   const CompareSettings& settings);

/// Geometric means of B / A over the timed pairs and over the problems' best candidates, one row per
/// (backend, data type, direction) that has either, in that order.
[[nodiscard]] std::vector<GeomeanRow> geomeans(const std::vector<PairTiming>& pairs,
                                               const std::vector<BestChange>& best);

}  // namespace convprobe
