// `convprobe compare` on constructed runs (issue 17): matching on (problem, backend, candidate), noise
// against a real slowdown, the ratio-only fallbacks, best candidates, geometric means and the ordering of
// the changes.
#include "jobs/compare_match.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "jobs/compare_fingerprint.hpp"

namespace convprobe {
namespace {

constexpr const char* kP1 = "mb1ic3ih8oc8kh3ph1";
constexpr const char* kP2 = "mb1ic3ih16oc8kh3ph1";
constexpr const char* kP3 = "bwdd_mb1ic3ih8oc8kh3ph1";

const std::vector<double> kSteady{1.00, 1.01, 0.99, 1.02, 0.98, 1.00, 1.01, 0.99, 1.00, 1.02};

/// A trial of one run; times given as samples (their median becomes the trial's).
StoredTrial trial(const std::string& problem, const std::string& candidate, Verdict verdict,
                  std::vector<double> samples = {}) {
  static int64_t next_id = 1;
  StoredTrial t;
  t.id = next_id++;
  t.problem = problem;
  t.backend = "fault";
  t.candidate.id = candidate;
  t.result.verdict = verdict;
  t.result.detail = std::string(to_string(verdict)) + " detail";
  t.repro = "convprobe run " + problem + " -b fault --candidates " + candidate;
  if (!samples.empty()) t.result.time = summarize_samples(std::move(samples));
  return t;
}

std::vector<double> scaled(const std::vector<double>& samples, double factor) {
  std::vector<double> out;
  for (double s : samples) out.push_back(s * factor);
  return out;
}

const PairTiming& pair_of(const Comparison& c, const std::string& candidate) {
  const auto it = std::find_if(c.timing.begin(), c.timing.end(),
                               [&](const PairTiming& p) { return p.candidate == candidate; });
  if (it == c.timing.end()) throw std::runtime_error("no timed pair " + candidate);
  return *it;
}

TEST(CPU_CompareMatch, NoiseIsSameAndARealSlowdownIsSlower) {
  // Noisy samples whose median is 6.4% higher, but which interleave with A's: p = 0.29 (about 2 ms, so that
  // "real" stays the best candidate).
  const std::vector<double> noisy_a = scaled({1.00, 1.30, 0.90, 1.25, 0.95, 1.20, 1.05, 1.15, 0.92, 1.28}, 2);
  const std::vector<double> noisy_b = scaled({1.10, 1.35, 0.97, 1.32, 1.00, 1.26, 1.12, 1.22, 0.99, 1.34}, 2);
  const std::vector<StoredTrial> a{trial(kP1, "noise", Verdict::pass, noisy_a),
                                   trial(kP1, "real", Verdict::pass, kSteady)};
  const std::vector<StoredTrial> b{trial(kP1, "noise", Verdict::pass, noisy_b),
                                   trial(kP1, "real", Verdict::pass, scaled(kSteady, 1.2))};
  const Comparison c = compare_trials(a, b, CompareSettings{});
  const TimeChange& noise = pair_of(c, "noise").time;
  EXPECT_NEAR(noise.ratio, 1.17 / 1.10, 1e-9);
  EXPECT_EQ(noise.test, SpeedTest::mann_whitney);
  EXPECT_NEAR(noise.p, 0.2897, 1e-4);
  EXPECT_EQ(noise.speed, Speed::same);
  const TimeChange& real = pair_of(c, "real").time;
  EXPECT_NEAR(real.ratio, 1.2, 1e-9);
  EXPECT_LT(real.p, 0.001);
  EXPECT_EQ(real.speed, Speed::slower);
  EXPECT_EQ(c.matched, 2u);
  EXPECT_TRUE(c.changes.empty());
  // "real" was the best (1.0 ms) in A and is, at 1.2 ms, still the best in B: slower, a regression.
  ASSERT_EQ(c.best.size(), 1u);
  EXPECT_EQ(c.best[0].candidate_a, "real");
  EXPECT_EQ(c.best[0].candidate_b, "real");
  EXPECT_TRUE(c.best[0].regression);
  EXPECT_EQ(c.regressions(), 1u);
}

TEST(CPU_CompareMatch, SignificantButWithinTheThresholdIsSame) {
  const std::vector<StoredTrial> a{trial(kP1, "x", Verdict::pass, kSteady)};
  const std::vector<StoredTrial> b{trial(kP1, "x", Verdict::pass, scaled(kSteady, 1.03))};
  const Comparison c = compare_trials(a, b, CompareSettings{});
  EXPECT_LT(pair_of(c, "x").time.p, 0.05);
  EXPECT_EQ(pair_of(c, "x").time.speed, Speed::same);
  const Comparison strict = compare_trials(a, b, CompareSettings{0.02, 0.05});
  EXPECT_EQ(pair_of(strict, "x").time.speed, Speed::slower);
  EXPECT_EQ(strict.regressions(), 1u);
}

TEST(CPU_CompareMatch, WithoutSamplesTheRatioAloneDecidesAndSaysSo) {
  StoredTrial old_a = trial(kP1, "x", Verdict::pass, kSteady),
              old_b = trial(kP1, "x", Verdict::pass, kSteady);
  old_a.result.time->samples_ms.clear();  // stored before schema 4
  old_b.result.time->median_ms = 1.1;
  const Comparison c = compare_trials({old_a}, {old_b}, CompareSettings{});
  EXPECT_EQ(pair_of(c, "x").time.test, SpeedTest::no_samples);
  EXPECT_EQ(pair_of(c, "x").time.speed, Speed::slower);
  EXPECT_EQ(pair_of(c, "x").time.samples_a, 0u);
  // Three samples each can never reach p < 0.05: the ratio decides, and the reason is kept.
  const Comparison few = compare_trials({trial(kP1, "x", Verdict::pass, {1.0, 1.0, 1.0})},
                                        {trial(kP1, "x", Verdict::pass, {0.5, 0.5, 0.5})}, CompareSettings{});
  EXPECT_EQ(pair_of(few, "x").time.test, SpeedTest::too_few_samples);
  EXPECT_EQ(pair_of(few, "x").time.speed, Speed::faster);
  EXPECT_EQ(few.regressions(), 0u);
}

TEST(CPU_CompareMatch, VerdictChangesAppearancesAndTheirOrder) {
  const std::vector<StoredTrial> a{
      trial(kP1, "fixed", Verdict::crash), trial(kP1, "broke", Verdict::pass, kSteady),
      trial(kP1, "gone", Verdict::pass, kSteady), trial(kP1, "same", Verdict::hang),
      trial(kP2, "only_a_problem", Verdict::pass, kSteady)};
  const std::vector<StoredTrial> b{trial(kP1, "fixed", Verdict::pass, kSteady),
                                   trial(kP1, "broke", Verdict::mismatch), trial(kP1, "same", Verdict::hang),
                                   trial(kP1, "new", Verdict::crash),
                                   trial(kP1, "new_ok", Verdict::pass, kSteady)};
  const Comparison c = compare_trials(a, b, CompareSettings{});
  ASSERT_EQ(c.changes.size(), 5u);
  // Regressions first (the worse verdict, then the broken appearance), then the others by kind.
  EXPECT_EQ(c.changes[0].candidate, "broke");
  EXPECT_EQ(c.changes[0].kind, ChangeKind::worse);
  EXPECT_EQ(c.changes[0].detail_b, "MISMATCH detail");
  EXPECT_EQ(c.changes[0].repro, "convprobe run mb1ic3ih8oc8kh3ph1 -b fault --candidates broke");
  EXPECT_EQ(c.changes[1].candidate, "new");
  EXPECT_TRUE(c.changes[1].regression);
  EXPECT_EQ(c.changes[2].candidate, "fixed");
  EXPECT_EQ(c.changes[2].kind, ChangeKind::better);
  EXPECT_EQ(c.changes[3].candidate, "new_ok");
  EXPECT_EQ(c.changes[3].kind, ChangeKind::appeared);
  EXPECT_EQ(c.changes[4].candidate, "gone");
  EXPECT_EQ(c.changes[4].kind, ChangeKind::disappeared);
  EXPECT_FALSE(c.changes[4].regression);
  // A problem only A has is listed, its candidates are no disappearances.
  EXPECT_EQ(c.problems_only_a, std::vector<std::string>{kP2});
  EXPECT_EQ(c.matched, 3u);
}

TEST(CPU_CompareMatch, ANewBestIsComparedWithTheOldOne) {
  const std::vector<StoredTrial> a{trial(kP1, "fast", Verdict::pass, kSteady),
                                   trial(kP1, "slow", Verdict::pass, scaled(kSteady, 2))};
  const std::vector<StoredTrial> b{trial(kP1, "slow", Verdict::pass, scaled(kSteady, 2))};
  const Comparison c = compare_trials(a, b, CompareSettings{});
  ASSERT_EQ(c.best.size(), 1u);
  EXPECT_EQ(c.best[0].candidate_a, "fast");
  EXPECT_EQ(c.best[0].candidate_b, "slow");
  ASSERT_TRUE(c.best[0].time.has_value());
  EXPECT_NEAR(c.best[0].time->ratio, 2, 1e-9);
  EXPECT_TRUE(c.best[0].regression);
  // The disappearance itself is not one; the best candidate's time is.
  ASSERT_EQ(c.changes.size(), 1u);
  EXPECT_FALSE(c.changes[0].regression);
  EXPECT_EQ(c.regressions(), 1u);
}

TEST(CPU_CompareMatch, AProblemLeftWithoutAPassIsARegression) {
  const std::vector<StoredTrial> a{trial(kP1, "x", Verdict::pass, kSteady), trial(kP1, "y", Verdict::crash)};
  const std::vector<StoredTrial> b{trial(kP1, "x", Verdict::unsupported), trial(kP1, "y", Verdict::crash)};
  const Comparison c = compare_trials(a, b, CompareSettings{});
  ASSERT_EQ(c.changes.size(), 1u);
  EXPECT_EQ(c.changes[0].kind, ChangeKind::withdrawn);
  EXPECT_FALSE(c.changes[0].regression);
  ASSERT_EQ(c.best.size(), 1u);
  EXPECT_TRUE(c.best[0].pass_a);
  EXPECT_FALSE(c.best[0].pass_b);
  EXPECT_TRUE(c.best[0].regression);
  // A PASS without a time (a --no-time sweep) is no loss.
  StoredTrial untimed = trial(kP1, "x", Verdict::pass);
  EXPECT_EQ(compare_trials(a, {untimed, trial(kP1, "y", Verdict::crash)}, CompareSettings{}).regressions(),
            0u);
}

TEST(CPU_CompareMatch, TheLatestTrialOfAKeyStandsForIt) {
  const std::vector<StoredTrial> a{trial(kP1, "x", Verdict::pass, kSteady)};
  const std::vector<StoredTrial> b{trial(kP1, "x", Verdict::hang), trial(kP1, "x", Verdict::pass, kSteady)};
  const Comparison c = compare_trials(a, b, CompareSettings{});
  EXPECT_TRUE(c.changes.empty());
  EXPECT_EQ(c.matched, 1u);
}

TEST(CPU_CompareMatch, GeometricMeansPerBackendTypeAndDirection) {
  const std::vector<StoredTrial> a{trial(kP1, "x", Verdict::pass, kSteady),
                                   trial(kP1, "y", Verdict::pass, scaled(kSteady, 4)),
                                   trial(kP3, "x", Verdict::pass, kSteady)};
  const std::vector<StoredTrial> b{trial(kP1, "x", Verdict::pass, scaled(kSteady, 2)),
                                   trial(kP1, "y", Verdict::pass, scaled(kSteady, 2)),
                                   trial(kP3, "x", Verdict::pass, scaled(kSteady, 0.5))};
  const Comparison c = compare_trials(a, b, CompareSettings{});
  ASSERT_EQ(c.geomeans.size(), 2u);
  const GeomeanRow& bwd = c.geomeans[0].direction == "bwd_data" ? c.geomeans[0] : c.geomeans[1];
  const GeomeanRow& fwd = c.geomeans[0].direction == "fwd" ? c.geomeans[0] : c.geomeans[1];
  EXPECT_EQ(fwd.backend, "fault");
  EXPECT_EQ(fwd.data_type, "f32");
  EXPECT_EQ(fwd.pairs, 2u);
  EXPECT_NEAR(fwd.pair_geomean, 1, 1e-9);  // 2x and 0.5x
  EXPECT_EQ(fwd.problems, 1u);
  EXPECT_NEAR(fwd.best_geomean, 2, 1e-9);  // x stayed the best, twice as slow
  EXPECT_EQ(bwd.pairs, 1u);
  EXPECT_NEAR(bwd.pair_geomean, 0.5, 1e-9);
}

TEST(CPU_CompareFingerprint, ListsWhatDiffersButTheDate) {
  Fingerprint a, b;
  a.backend = b.backend = "miopen";
  a.backend_version = "MIOpen 2.17.0";
  b.backend_version = "MIOpen 2.19.0";
  a.date = "2026-01-01";
  b.date = "2026-02-01";
  a.env = {{"MIOPEN_DEBUG_CONV_GEMM", "0"}, {"MIOPEN_FIND_MODE", "1"}};
  b.env = {{"MIOPEN_FIND_MODE", "2"}, {"HSA_OVERRIDE_GFX_VERSION", "10.3.0"}};
  const auto changes = fingerprint_changes(a, b);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].field, "backend_version");
  EXPECT_EQ(changes[1].field, "env.HSA_OVERRIDE_GFX_VERSION");
  EXPECT_EQ(changes[1].a, "(unset)");
  EXPECT_EQ(changes[2].field, "env.MIOPEN_DEBUG_CONV_GEMM");
  EXPECT_EQ(changes[2].b, "(unset)");
  EXPECT_EQ(changes[3].field, "env.MIOPEN_FIND_MODE");
  EXPECT_TRUE(fingerprint_changes(a, a).empty());
}

}  // namespace
}  // namespace convprobe
