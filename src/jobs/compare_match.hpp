// The matching of `convprobe compare`: two runs' trials paired on (problem, backend, candidate), and every
// difference judged (jobs/compare_verdicts.hpp, jobs/compare_timing.hpp). When a run holds several trials of
// one candidate on one problem (a repeated `run`, --resume), the latest (highest id) stands for it.
#pragma once

#include <vector>

#include "report/comparison.hpp"

namespace convprobe {

/// Everything of a Comparison but the runs and the fingerprint differences: verdict changes, appearances
/// and disappearances (on problems both runs have), timed pairs, best candidates and geometric means.
[[nodiscard]] Comparison compare_trials(const std::vector<StoredTrial>& a, const std::vector<StoredTrial>& b,
                                        const CompareSettings& settings);

}  // namespace convprobe
