// Knob sampling rules (src/backends/cudnn/knob_sampling.hpp): values on the knob's grid, reproducible
// streams, and "one knob away" changing exactly one variable knob. Which draws cuDNN accepts is a GPU matter.
#include "knob_sampling.hpp"

#include <gtest/gtest.h>

#include <set>

namespace convprobe::cudnn {
namespace {

const std::vector<KnobInfo> kKnobs = {
    {2, 0, 12, 1},    // 13 values
    {13, 0, 1, 1},    // 2 values
    {18, 0, 0, 1},    // fixed
    {25, 16, 64, 16}  // 16, 32, 48, 64
};

bool on_grid(const KnobInfo& k, int64_t v) { return v >= k.min && v <= k.max && (v - k.min) % k.stride == 0; }

const KnobInfo& info_of(int64_t type) {
  for (const KnobInfo& k : kKnobs) {
    if (k.type == type) return k;
  }
  throw std::out_of_range("no knob type " + std::to_string(type));
}

TEST(CPU_KnobSampling, ValuesStayOnTheGridAndReachEveryStep) {
  KnobSampler s(42, 67);
  std::set<int64_t> seen;
  for (int i = 0; i < 400; ++i) {
    const int64_t v = s.value(kKnobs[3]);
    EXPECT_TRUE(on_grid(kKnobs[3], v)) << v;
    seen.insert(v);
  }
  EXPECT_EQ(seen, (std::set<int64_t>{16, 32, 48, 64}));
  EXPECT_EQ(s.value(kKnobs[2]), 0);
  const int64_t v = s.value(KnobInfo{7, 3, 9, 0});  // a zero stride counts as 1 (no division by zero)
  EXPECT_GE(v, 3);
  EXPECT_LE(v, 9);
}

TEST(CPU_KnobSampling, SameSeedAndEngineDrawTheSameConfigs) {
  KnobSampler a(7, 62), b(7, 62), other(7, 63);
  bool differs = false;
  for (int i = 0; i < 20; ++i) {
    const KnobChoices x = a.uniform(kKnobs);
    EXPECT_EQ(x, b.uniform(kKnobs));
    differs = differs || x != other.uniform(kKnobs);
  }
  EXPECT_TRUE(differs) << "another engine's stream should not repeat this one's";
}

TEST(CPU_KnobSampling, UniformSetsEveryKnobInOrder) {
  KnobSampler s(1, 5);
  const KnobChoices c = s.uniform(kKnobs);
  ASSERT_EQ(c.size(), kKnobs.size());
  for (size_t i = 0; i < c.size(); ++i) {
    EXPECT_EQ(c[i].first, kKnobs[i].type);
    EXPECT_TRUE(on_grid(kKnobs[i], c[i].second));
  }
}

TEST(CPU_KnobSampling, OneKnobAwayChangesExactlyOneVariableKnob) {
  KnobSampler s(3, 71);
  const KnobChoices base = {{2, 5}, {13, 1}, {18, 0}, {25, 32}};
  std::set<int64_t> changed_types;
  for (int i = 0; i < 200; ++i) {
    const KnobChoices c = s.one_knob_away(base, kKnobs);
    ASSERT_EQ(c.size(), base.size());
    int changed = 0;
    for (size_t j = 0; j < c.size(); ++j) {
      EXPECT_EQ(c[j].first, base[j].first);
      EXPECT_TRUE(on_grid(info_of(c[j].first), c[j].second));
      if (c[j].second != base[j].second) {
        ++changed;
        changed_types.insert(c[j].first);
      }
    }
    EXPECT_EQ(changed, 1);
  }
  EXPECT_EQ(changed_types, (std::set<int64_t>{2, 13, 25})) << "the fixed knob 18 must never change";
}

TEST(CPU_KnobSampling, OneKnobAwayFromTheDefaultAddsOneChoice) {
  KnobSampler s(3, 71);
  const KnobChoices c = s.one_knob_away({}, kKnobs);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_NE(c[0].first, 18);
  EXPECT_TRUE(on_grid(info_of(c[0].first), c[0].second));
}

TEST(CPU_KnobSampling, NothingToVaryLeavesTheBase) {
  KnobSampler s(3, 71);
  const KnobChoices base = {{18, 0}};
  EXPECT_EQ(s.one_knob_away(base, {KnobInfo{18, 0, 0, 1}}), base);
}

}  // namespace
}  // namespace convprobe::cudnn
