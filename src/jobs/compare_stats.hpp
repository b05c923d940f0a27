// The statistics of `convprobe compare` (docs/compare.md): the two-sided Mann–Whitney U test on two sets of
// timed samples, and the geometric mean of time ratios. Mann–Whitney because it assumes no distribution
// (kernel times are skewed, with a long tail of preempted runs) and is what Google Benchmark's compare.py
// uses. The normal approximation with tie and continuity corrections is scipy's "asymptotic" method: a few
// lines instead of the exact distribution, within a few thousandths of it near p = 0.05 at 5 to 10 samples a
// side, and conservative (larger p) in the far tail (docs/compare.md).
#pragma once

#include <cstddef>
#include <span>

namespace convprobe {

struct MannWhitney {
  double u = 0;  ///< U of the first sample: how many (a, b) pairs have a > b, a tie counting one half
  double z = 0;  ///< |U - mean| less the continuity correction, in standard deviations (>= 0)
  double p = 1;  ///< two-sided p-value; 1 when every value is equal or a side is empty
};

/// The test on `a` and `b` (non-finite values must be left out by the caller).
[[nodiscard]] MannWhitney mann_whitney_u(std::span<const double> a, std::span<const double> b);

/// The smallest two-sided p the test can give with n_a and n_b samples (complete separation, no ties): when
/// it is above the significance level, the test cannot tell anything at these sizes (3 samples each give
/// 0.081), and a caller should say so rather than call every difference noise.
[[nodiscard]] double smallest_p_value(size_t n_a, size_t n_b);

/// exp(mean(log x)); NaN when `values` is empty or holds a value <= 0.
[[nodiscard]] double geometric_mean(std::span<const double> values);

}  // namespace convprobe
