// How `convprobe compare` judges one time against another (docs/compare.md, "Timing"): the ratio of medians
// decides the direction and the size; the Mann–Whitney test on the stored samples decides whether it is more
// than noise. SAME when the change is within the threshold or not significant; FASTER or SLOWER otherwise.
#pragma once

#include <optional>

#include "report/comparison.hpp"

namespace convprobe {

/// A PASS with a usable time: a positive, finite median.
[[nodiscard]] bool timed_pass(const TrialResult& r);

/// B's time against A's; nullopt unless both are timed_pass().
[[nodiscard]] std::optional<TimeChange> compare_times(const TrialResult& a, const TrialResult& b,
                                                      const CompareSettings& settings);

}  // namespace convprobe
