// The words and numbers of a comparison as the table and the Markdown both write them, so the two say the
// same thing the same way.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/comparison.hpp"

namespace convprobe::compare_text {

/// `text` on one line (newlines and tabs as spaces), cut to `max` bytes with "..." when longer.
[[nodiscard]] std::string one_line(const std::string& text, size_t max);
[[nodiscard]] std::string verdict(std::optional<Verdict> v);  ///< "-" when there was no trial
[[nodiscard]] std::string ms(double value);                   ///< "0.0412"
[[nodiscard]] std::string ratio(double value);                ///< "1.052"
[[nodiscard]] std::string change(double ratio);               ///< "+5.2%"
[[nodiscard]] std::string p_value(const TimeChange& t);       ///< "0.00018", or why there is none
/// "run 2 of after.db (fault convprobe 0.1.0, started 2026-..., 8 trials)".
[[nodiscard]] std::string run(const ComparedRun& r);
/// "SAME within 5% or when Mann–Whitney p >= 0.05".
[[nodiscard]] std::string settings(const CompareSettings& s);
/// A best candidate as a table shows it: the id, or why there is none.
[[nodiscard]] std::string best_candidate(const std::string& id, bool passed);
/// The best-candidate rows worth showing: a new best, a time that is not SAME, a regression.
[[nodiscard]] bool worth_showing(const BestChange& b);

/// The counts under each heading.
[[nodiscard]] std::string changes_heading(const Comparison& c, bool appearances);
[[nodiscard]] std::string best_heading(const Comparison& c);
[[nodiscard]] std::string timing_heading(const Comparison& c);
/// The last word: "2 regression(s): 1 worse verdict, 1 best candidate slower or lost" or "no regression".
[[nodiscard]] std::string result(const Comparison& c);
/// Problems only one run has, as a line ("problems only in A: 2 (k1, k2)"); empty when there are none.
[[nodiscard]] std::vector<std::string> unmatched_problems(const Comparison& c);

}  // namespace convprobe::compare_text
