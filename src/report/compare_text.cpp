#include "report/compare_text.hpp"

#include <fmt/core.h>

#include "base/text.hpp"

namespace convprobe::compare_text {

std::string one_line(const std::string& text, size_t max) {
  std::string out = text;
  for (char& ch : out) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  if (out.size() > max) out = out.substr(0, max > 3 ? max - 3 : 0) + "...";
  return out;
}

std::string verdict(std::optional<Verdict> v) { return v ? std::string(to_string(*v)) : "-"; }

std::string ms(double value) { return fmt::format("{:.4g}", value); }

std::string ratio(double value) { return fmt::format("{:.3f}", value); }

std::string change(double ratio) { return fmt::format("{:+.1f}%", (ratio - 1) * 100); }

std::string p_value(const TimeChange& t) {
  switch (t.test) {
    case SpeedTest::mann_whitney:
      return fmt::format("{:.2g}", t.p);
    case SpeedTest::no_samples:
      return "n/a: no samples";
    case SpeedTest::too_few_samples:
      return fmt::format("n/a: {}+{} samples", t.samples_a, t.samples_b);
  }
  return "?";
}

std::string run(const ComparedRun& r) {
  const Fingerprint& fp = r.run.fingerprint;
  return fmt::format("run {} of {} ({} {}, started {}, {} trials)", r.run.id, r.db_path, fp.backend,
                     fp.backend_version, r.run.started_at, r.trials);
}

std::string settings(const CompareSettings& s) {
  return fmt::format("times are SAME within {:g}% or when the Mann-Whitney p >= {:g}", s.threshold * 100,
                     s.alpha);
}

std::string best_candidate(const std::string& id, bool passed) {
  if (!id.empty()) return id;
  return passed ? "(PASS, untimed)" : "(no PASS)";
}

bool worth_showing(const BestChange& b) {
  return b.regression || b.candidate_a != b.candidate_b || (b.time && b.time->speed != Speed::same);
}

std::string changes_heading(const Comparison& c, bool appearances) {
  size_t n = 0, regressions = 0;
  for (const auto& change : c.changes) {
    const bool appearance = change.kind == ChangeKind::appeared || change.kind == ChangeKind::disappeared;
    if (appearance != appearances) continue;
    ++n;
    regressions += change.regression ? 1 : 0;
  }
  const char* what = appearances ? "Candidates appeared or disappeared" : "Verdict changes";
  if (n == 0) return fmt::format("{}: none", what);
  return fmt::format("{}: {} ({} regression(s))", what, n, regressions);
}

std::string best_heading(const Comparison& c) {
  size_t changed = 0, slower = 0, faster = 0, lost = 0;
  for (const auto& b : c.best) {
    changed += b.candidate_a != b.candidate_b ? 1 : 0;
    slower += b.time && b.time->speed == Speed::slower ? 1 : 0;
    faster += b.time && b.time->speed == Speed::faster ? 1 : 0;
    lost += b.pass_a && !b.pass_b ? 1 : 0;
  }
  return fmt::format(
      "Best candidate per problem: {} problem(s), {} with another best, {} SLOWER, {} FASTER, {} without a "
      "PASS left",
      c.best.size(), changed, slower, faster, lost);
}

std::string timing_heading(const Comparison& c) {
  size_t same = 0, faster = 0, slower = 0, ratio_only = 0;
  for (const auto& p : c.timing) {
    same += p.time.speed == Speed::same ? 1 : 0;
    faster += p.time.speed == Speed::faster ? 1 : 0;
    slower += p.time.speed == Speed::slower ? 1 : 0;
    ratio_only += p.time.test != SpeedTest::mann_whitney ? 1 : 0;
  }
  std::string text = fmt::format("Timing: {} pair(s) timed in both runs: {} SAME, {} FASTER, {} SLOWER",
                                 c.timing.size(), same, faster, slower);
  if (ratio_only > 0) {
    text += fmt::format("; {} judged by the ratio alone (no samples stored, or too few for the test)",
                        ratio_only);
  }
  return text;
}

std::string result(const Comparison& c) {
  size_t verdicts = 0, best = 0;
  for (const auto& change : c.changes) verdicts += change.regression ? 1 : 0;
  for (const auto& b : c.best) best += b.regression ? 1 : 0;
  if (verdicts + best == 0) return "no regression";
  return fmt::format("{} regression(s): {} worse verdict(s), {} best candidate(s) slower or lost",
                     verdicts + best, verdicts, best);
}

std::vector<std::string> unmatched_problems(const Comparison& c) {
  std::vector<std::string> lines;
  if (!c.problems_only_a.empty()) {
    lines.push_back(
        fmt::format("problems only in A (not compared): {}", join_for_message(c.problems_only_a)));
  }
  if (!c.problems_only_b.empty()) {
    lines.push_back(
        fmt::format("problems only in B (not compared): {}", join_for_message(c.problems_only_b)));
  }
  return lines;
}

}  // namespace convprobe::compare_text
