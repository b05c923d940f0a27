#include "jobs/bisect.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "jobs/candidate_selection.hpp"
#include "jobs/usage_error.hpp"

namespace convprobe {

namespace {

constexpr size_t kMaxAxisValues = 1000000;

/// The valid axis values from --from's value to --to, in that order (either direction).
std::vector<int64_t> axis_values(const Problem& base, Axis axis, int64_t to) {
  const int64_t from = axis_value(base, axis);
  const int64_t step = to >= from ? 1 : -1;
  const uint64_t span = static_cast<uint64_t>(to >= from ? to - from : from - to) + 1;
  if (span > kMaxAxisValues) {
    throw UsageError(fmt::format("--to {}: {} values from {} is more than {} to search; choose a nearer --to",
                                 to, span, from, kMaxAxisValues));
  }
  std::vector<int64_t> values;
  Problem p;
  for (int64_t v = from;; v += step) {
    if (with_axis_value(base, axis, v, &p).empty()) values.push_back(v);
    if (v == to) break;
  }
  return values;
}

/// The report's inputs, checked in the order the messages have always come: candidate id, axis, --from,
/// --spot-checks, --to.
BisectReport checked_inputs(const BisectOptions& o) {
  BisectReport r;
  r.backend = o.session.executor.backend;
  r.candidate = o.candidate;
  r.axis_name = o.axis;
  r.to = o.to;
  check_unlisted_ids(r.backend, "--candidate", o.candidate);
  if (!parse_axis(o.axis, &r.axis)) {
    throw UsageError(fmt::format("--axis '{}' is not an axis; expected one of hw, h, w, c, k, n, r", o.axis));
  }
  std::string err;
  if (!parse_problem(o.from, &r.base, &err)) throw UsageError(fmt::format("--from '{}': {}", o.from, err));
  if (auto msg = validate(r.base); !msg.empty())
    throw UsageError(fmt::format("--from '{}': {}", o.from, msg));
  if (o.spot_checks < 0) throw UsageError(fmt::format("--spot-checks {} must be >= 0", o.spot_checks));
  Problem at_to;
  if (auto msg = with_axis_value(r.base, r.axis, o.to, &at_to); !msg.empty()) {
    throw UsageError(fmt::format("--to {}: the problem at {}={} is not valid: {}", o.to, o.axis, o.to, msg));
  }
  if (o.to == axis_value(r.base, r.axis)) {
    throw UsageError(fmt::format("--to {} equals --from's {} value; give a different end", o.to, o.axis));
  }
  return r;
}

/// What the backend offers on `p`, plus a well-formed --candidate it runs without listing
/// (fault.hang@hw>100).
std::vector<Candidate> candidates_at(Session& session, const Problem& p, const BisectOptions& o) {
  std::vector<Candidate> candidates = session.executor().candidates(p, o.trial);
  add_unlisted_candidates(session.backend(), o.candidate, &candidates);
  return candidates;
}

/// The candidate must exist where the search starts; elsewhere a missing candidate reads UNSUPPORTED.
Candidate candidate_at_from(Session& session, const BisectReport& r, const BisectOptions& o) {
  const auto listed = candidates_at(session, r.base, o);
  const auto found =
      std::find_if(listed.begin(), listed.end(), [&](const Candidate& c) { return c.id == o.candidate; });
  if (found != listed.end()) return *found;
  std::vector<std::string> ids;
  for (const auto& c : listed) ids.push_back(c.id);
  throw UsageError(fmt::format("--candidate '{}' is not a {} candidate of {}; candidates there: {}",
                               o.candidate, r.backend, key(r.base), some_of(ids)));
}

/// One probe: the candidate at `value` (as listed there), run and committed; UNSUPPORTED, and committed,
/// when the backend does not list it there.
TrialResult probe_at(Session& session, const BisectReport& r, const BisectOptions& o,
                     const Candidate& fallback, int64_t value, const std::string& role) {
  Problem p;
  (void)with_axis_value(r.base, r.axis, value, &p);
  Candidate candidate = fallback;
  bool listed = false;
  for (auto& c : candidates_at(session, p, o)) {
    if (c.id == o.candidate) {
      candidate = c;
      listed = true;
    }
  }
  TrialResult result;
  if (listed) {
    session.run({TrialRequest{p, candidate, 1}}, o.trial, [&](const ReportedTrial& t) { result = t.result; });
  } else {
    result.verdict = Verdict::unsupported;
    result.detail = "the backend does not list this candidate for the problem";
    (void)session.record(p, candidate, result);
  }
  if (!o.quiet) {
    fmt::print(stderr, "  {}={:<8} {:<8} {:<9} {}\n", o.axis, value, role, to_string(result.verdict),
               result.detail.substr(0, 100));
  }
  return result;
}

}  // namespace

BisectReport run_bisect(const BisectOptions& o) {
  BisectReport report = checked_inputs(o);
  const std::vector<int64_t> values = axis_values(report.base, report.axis, o.to);
  Session session(o.session);
  const Candidate fallback = candidate_at_from(session, report, o);
  // Opened only once the candidate is known to exist: a rejected command stores nothing.
  if (!o.no_db) session.open_store(o.db_path, false);
  report.run_id = session.run_id();

  BisectSettings settings;
  settings.spot_checks_per_side = o.spot_checks;
  settings.seed = o.trial.seed;
  report.outcome = bisect_values(
      values,
      [&](int64_t value, const std::string& role) {
        return probe_at(session, report, o, fallback, value, role);
      },
      settings);
  return report;
}

}  // namespace convprobe
