#include "jobs/bisect_search.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>

namespace convprobe {

namespace {

class Search {
 public:
  Search(const std::vector<int64_t>& values, const BisectProbe& probe) : values_(values), probe_(probe) {}

  const TrialResult& at(size_t index, const std::string& role) {
    auto it = seen_.find(index);
    if (it != seen_.end()) return it->second;
    TrialResult r = probe_(values_[index], role);
    outcome.points.push_back(BisectPoint{values_[index], r, role});
    return seen_.emplace(index, std::move(r)).first->second;
  }
  TrialResult rerun(size_t index, const std::string& role) {
    TrialResult r = probe_(values_[index], role);
    outcome.points.push_back(BisectPoint{values_[index], r, role});
    return r;
  }
  [[nodiscard]] bool tested(size_t index) const { return seen_.count(index) > 0; }
  [[nodiscard]] const std::map<size_t, TrialResult>& seen() const { return seen_; }

  BisectOutcome outcome;

 private:
  const std::vector<int64_t>& values_;
  const BisectProbe& probe_;
  std::map<size_t, TrialResult> seen_;
};

/// Up to `count` untested indices in [first, last], seeded.
std::vector<size_t> pick_untested(const Search& s, size_t first, size_t last, int count,
                                  std::mt19937_64& rng) {
  std::vector<size_t> pool;
  if (first <= last) {
    // Long ranges: draw a bounded sample of candidates instead of listing every index.
    const size_t span = last - first + 1;
    if (span <= 4096) {
      for (size_t i = first; i <= last; ++i) {
        if (!s.tested(i)) pool.push_back(i);
      }
    } else {
      std::uniform_int_distribution<size_t> dist(first, last);
      for (int i = 0; i < 64; ++i) {
        const size_t idx = dist(rng);
        if (!s.tested(idx) && std::find(pool.begin(), pool.end(), idx) == pool.end()) pool.push_back(idx);
      }
    }
  }
  std::shuffle(pool.begin(), pool.end(), rng);
  if (pool.size() > static_cast<size_t>(std::max(count, 0)))
    pool.resize(static_cast<size_t>(std::max(count, 0)));
  std::sort(pool.begin(), pool.end());
  return pool;
}

/// Spot checks around a boundary between indices lo and hi: the --from side must keep from_verdict, the other
/// side must never show it (else non-monotone, citing the nearest value on the same side that behaved); a
/// second verdict on the far side is noted.
void spot_check(Search& s, const std::vector<int64_t>& values, size_t lo, size_t hi, Verdict from_verdict,
                Verdict hi_verdict, const BisectSettings& settings) {
  BisectOutcome& out = s.outcome;
  std::mt19937_64 rng(settings.seed);
  for (size_t idx : pick_untested(s, 0, lo, settings.spot_checks_per_side, rng)) s.at(idx, "spot");
  for (size_t idx : pick_untested(s, hi, values.size() - 1, settings.spot_checks_per_side, rng)) {
    s.at(idx, "spot");
  }
  std::string mixed;
  for (const auto& [idx, r] : s.seen()) {
    const bool from_side = idx <= lo;
    const bool consistent = from_side ? r.verdict == from_verdict : r.verdict != from_verdict;
    if (!consistent) {
      // Cite the nearest value on the same side that behaved as expected.
      size_t ref = from_side ? lo : hi;
      for (const auto& [j, rj] : s.seen()) {
        const bool same_side = (j <= lo) == from_side;
        const bool ok = from_side ? rj.verdict == from_verdict : rj.verdict != from_verdict;
        const auto dist = [&](size_t a) { return a > idx ? a - idx : idx - a; };
        if (same_side && ok && dist(j) < dist(ref)) ref = j;
      }
      out.kind = BisectOutcome::Kind::non_monotone;
      out.message = fmt::format("non-monotone: {} at {} but {} at {}", to_string(s.seen().at(ref).verdict),
                                values[ref], to_string(r.verdict), values[idx]);
      return;
    }
    if (!from_side && r.verdict != hi_verdict && mixed.empty()) {
      mixed = fmt::format("note: {} at {} but {} at {} (both differ from {})", to_string(hi_verdict),
                          values[hi], to_string(r.verdict), values[idx], to_string(from_verdict));
    }
  }
  out.message = mixed;
}

}  // namespace

BisectOutcome bisect_values(const std::vector<int64_t>& values, const BisectProbe& probe,
                            const BisectSettings& settings) {
  Search s(values, probe);
  BisectOutcome& out = s.outcome;
  if (values.size() < 2) {
    out.kind = BisectOutcome::Kind::no_change;
    out.message = "fewer than two values to compare";
    return std::move(s.outcome);
  }
  const size_t last = values.size() - 1;
  const Verdict from_verdict = s.at(0, "from").verdict;
  const Verdict to_verdict = s.at(last, "to").verdict;
  if (from_verdict == to_verdict) {
    out.kind = BisectOutcome::Kind::no_change;
    out.message = fmt::format("no change between {} and {}: {} at both", values.front(), values.back(),
                              to_string(from_verdict));
    return std::move(s.outcome);
  }

  // Invariant: verdict(lo) == from_verdict, verdict(hi) != from_verdict.
  size_t lo = 0, hi = last;
  while (hi - lo > 1) {
    const size_t mid = lo + (hi - lo) / 2;
    if (s.at(mid, "search").verdict == from_verdict) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const TrialResult lo_result = s.at(lo, "search");
  const TrialResult hi_result = s.at(hi, "search");

  // "Good" is the side that passes when only one does; otherwise the --from side.
  const bool swap = lo_result.verdict != Verdict::pass && hi_result.verdict == Verdict::pass;
  out.last_good = values[swap ? hi : lo];
  out.first_bad = values[swap ? lo : hi];
  out.good = swap ? hi_result : lo_result;
  out.bad = swap ? lo_result : hi_result;
  out.kind = BisectOutcome::Kind::boundary;

  // Both neighbours again: a verdict that does not reproduce makes the boundary meaningless.
  for (size_t idx : {lo, hi}) {
    const Verdict first = (idx == lo ? lo_result : hi_result).verdict;
    const Verdict again = s.rerun(idx, "confirm").verdict;
    if (again != first) {
      out.kind = BisectOutcome::Kind::unstable;
      out.message =
          fmt::format("unstable: {} then {} at {}", to_string(first), to_string(again), values[idx]);
      return std::move(s.outcome);
    }
  }

  spot_check(s, values, lo, hi, from_verdict, hi_result.verdict, settings);
  return std::move(s.outcome);
}

std::string describe_boundary(const std::string& candidate, Axis axis, const BisectOutcome& outcome) {
  const bool good_low = outcome.last_good < outcome.first_bad;
  const int64_t low = good_low ? outcome.last_good : outcome.first_bad;
  const int64_t high = good_low ? outcome.first_bad : outcome.last_good;
  const Verdict vlow = (good_low ? outcome.good : outcome.bad).verdict;
  const Verdict vhigh = (good_low ? outcome.bad : outcome.good).verdict;
  return fmt::format("{}: {} at {}<={}, {} at {}>={}", candidate, to_string(vlow), to_string(axis), low,
                     to_string(vhigh), to_string(axis), high);
}

}  // namespace convprobe
