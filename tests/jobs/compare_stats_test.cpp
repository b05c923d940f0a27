// The statistics of `convprobe compare` (issue 17) against values computed by hand: the Mann–Whitney U test
// with the normal approximation, tie and continuity corrections (scipy's method="asymptotic"), and the
// geometric mean.
#include "jobs/compare_stats.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace convprobe {
namespace {

// a = {1, 2, 3}, b = {4, 5, 6}: a holds ranks 1, 2, 3, so U = 6 - 3*4/2 = 0; mean 3*3/2 = 4.5; variance
// 3*3/12 * 7 = 5.25; z = (4.5 - 0.5) / sqrt(5.25) = 1.74574; p = erfc(z / sqrt 2) = 0.080856.
TEST(CPU_CompareStats, MannWhitneyOfTwoSeparatedSamples) {
  const std::vector<double> a{1, 2, 3}, b{4, 5, 6};
  const MannWhitney r = mann_whitney_u(a, b);
  EXPECT_DOUBLE_EQ(r.u, 0);
  EXPECT_NEAR(r.z, 1.7457431, 1e-6);
  EXPECT_NEAR(r.p, 0.0808556, 1e-6);
  // The other way round: U = 9, the same p.
  const MannWhitney back = mann_whitney_u(b, a);
  EXPECT_DOUBLE_EQ(back.u, 9);
  EXPECT_NEAR(back.p, r.p, 1e-12);
}

// a = {1, 2, 2}, b = {2, 3, 4}: pooled 1 2 2 2 3 4, the three 2s share rank 3; a's ranks 1 + 3 + 3 = 7,
// U = 7 - 6 = 1. Ties: one run of 3, sum(t^3 - t) = 24; variance 9/12 * (7 - 24/30) = 4.65;
// z = (3.5 - 0.5) / sqrt(4.65) = 1.39122; p = 0.164160.
TEST(CPU_CompareStats, MannWhitneyCorrectsForTies) {
  const std::vector<double> a{1, 2, 2}, b{2, 3, 4};
  const MannWhitney r = mann_whitney_u(a, b);
  EXPECT_DOUBLE_EQ(r.u, 1);
  EXPECT_NEAR(r.z, 1.3912167, 1e-6);
  EXPECT_NEAR(r.p, 0.1641597, 1e-6);
}

// Interleaved samples: a = odd, b = even numbers to 10; U = 10, mean 12.5, variance 25/12 * 11;
// z = 2 / 4.7871 = 0.41779; p = 0.676103.
TEST(CPU_CompareStats, InterleavedSamplesAreNotSignificant) {
  const std::vector<double> a{1, 3, 5, 7, 9}, b{2, 4, 6, 8, 10};
  const MannWhitney r = mann_whitney_u(a, b);
  EXPECT_DOUBLE_EQ(r.u, 10);
  EXPECT_NEAR(r.p, 0.6761033, 1e-6);
}

TEST(CPU_CompareStats, EqualOrMissingSamplesGivePOne) {
  const std::vector<double> same{0.5, 0.5, 0.5}, none;
  EXPECT_DOUBLE_EQ(mann_whitney_u(same, same).p, 1);
  EXPECT_DOUBLE_EQ(mann_whitney_u(same, none).p, 1);
  // Two constant but different sides are as separated as samples get: 5 + 5 give p = 0.00398.
  const std::vector<double> fast(5, 0.5), slow(5, 0.6);
  EXPECT_NEAR(mann_whitney_u(fast, slow).p, 0.0039768, 1e-6);
}

TEST(CPU_CompareStats, SmallestPValueSaysWhenTheTestCannotDecide) {
  EXPECT_NEAR(smallest_p_value(3, 3), 0.0808556, 1e-6);  // three samples each never reach 0.05
  EXPECT_LT(smallest_p_value(5, 5), 0.05);
  EXPECT_LT(smallest_p_value(10, 10), 0.001);
  EXPECT_DOUBLE_EQ(smallest_p_value(0, 10), 1);
}

TEST(CPU_CompareStats, GeometricMean) {
  const std::vector<double> two_and_eight{2, 8}, halves{2, 0.5}, with_zero{1, 0}, none;
  EXPECT_NEAR(geometric_mean(two_and_eight), 4, 1e-12);
  EXPECT_NEAR(geometric_mean(halves), 1, 1e-12);
  EXPECT_TRUE(std::isnan(geometric_mean(with_zero)));
  EXPECT_TRUE(std::isnan(geometric_mean(none)));
}

}  // namespace
}  // namespace convprobe
