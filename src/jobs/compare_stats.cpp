#include "jobs/compare_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace convprobe {

namespace {

/// Two-sided p of a standard normal deviate z >= 0.
double two_sided_p(double z) { return std::min(1.0, std::erfc(z / std::sqrt(2.0))); }

/// p from U, the sizes and the ties' sum of (t^3 - t): the normal approximation, its variance reduced for
/// ties, |U - mean| reduced by 1/2 for the continuity of U.
MannWhitney from_u(double u, size_t n_a, size_t n_b, double tie_sum) {
  const double na = static_cast<double>(n_a), nb = static_cast<double>(n_b), n = na + nb;
  const double mean = na * nb / 2;
  const double variance = na * nb / 12 * ((n + 1) - tie_sum / (n * (n - 1)));
  MannWhitney r;
  r.u = u;
  if (!(variance > 0)) return r;  // every value equal: nothing to tell apart
  r.z = std::max(0.0, std::abs(u - mean) - 0.5) / std::sqrt(variance);
  r.p = two_sided_p(r.z);
  return r;
}

}  // namespace

MannWhitney mann_whitney_u(std::span<const double> a, std::span<const double> b) {
  if (a.empty() || b.empty()) return MannWhitney{};
  // Pool both sides (value, from a?), sort, and give each run of equal values its average rank.
  std::vector<std::pair<double, bool>> pooled;
  pooled.reserve(a.size() + b.size());
  for (double v : a) pooled.emplace_back(v, true);
  for (double v : b) pooled.emplace_back(v, false);
  std::sort(pooled.begin(), pooled.end());
  double rank_sum_a = 0, tie_sum = 0;
  for (size_t i = 0; i < pooled.size();) {
    size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    const double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    const double t = static_cast<double>(j - i);
    tie_sum += t * t * t - t;
    for (size_t k = i; k < j; ++k) rank_sum_a += pooled[k].second ? average_rank : 0;
    i = j;
  }
  const double na = static_cast<double>(a.size());
  return from_u(rank_sum_a - na * (na + 1) / 2, a.size(), b.size(), tie_sum);
}

double smallest_p_value(size_t n_a, size_t n_b) {
  if (n_a == 0 || n_b == 0) return 1;
  return from_u(0, n_a, n_b, 0).p;
}

double geometric_mean(std::span<const double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  double log_sum = 0;
  for (double v : values) {
    if (!(v > 0)) return std::numeric_limits<double>::quiet_NaN();
    log_sum += std::log(v);
  }
  return std::exp(log_sum / static_cast<double>(values.size()));
}

}  // namespace convprobe
