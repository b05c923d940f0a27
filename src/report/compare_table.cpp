// The terminal form of a comparison: one section per kind of difference, each a heading with its counts and
// a table of the rows that changed (the SAME rows are only counted), then the result line a CI log ends on.
#include <fmt/core.h>

#include "report/compare_output.hpp"
#include "report/compare_text.hpp"
#include "report/text_table.hpp"

namespace convprobe {

namespace {

namespace text = compare_text;

constexpr size_t kDetailWidth = 80;

void section(FILE* out, const std::string& heading, const TextTable& table) {
  fmt::print(out, "\n{}\n", heading);
  if (!table.empty()) table.print(out);
}

void print_changes(FILE* out, const Comparison& c, bool appearances) {
  TextTable table({"change", "problem", "candidate", "A", "B", "detail"});
  for (const auto& ch : c.changes) {
    if ((ch.kind == ChangeKind::appeared || ch.kind == ChangeKind::disappeared) != appearances) continue;
    std::string detail = ch.b ? "B: " + text::one_line(ch.detail_b, kDetailWidth) : "";
    if (ch.a) detail += (detail.empty() ? "A: " : "; A: ") + text::one_line(ch.detail_a, kDetailWidth);
    table.add_row({std::string(to_string(ch.kind)) + (ch.regression ? " !" : ""), ch.problem, ch.candidate,
                   text::verdict(ch.a), text::verdict(ch.b), detail});
    if (ch.regression) table.add_heading("    repro: " + ch.repro);
  }
  section(out, text::changes_heading(c, appearances), table);
}

void print_best(FILE* out, const Comparison& c) {
  TextTable table({"problem", "A best", "A ms", "B best", "B ms", "B/A", "change", "p", "speed"});
  for (const auto& b : c.best) {
    if (!text::worth_showing(b)) continue;
    std::vector<std::string> row{b.problem, text::best_candidate(b.candidate_a, b.pass_a), "",
                                 text::best_candidate(b.candidate_b, b.pass_b)};
    if (b.time) {
      row[2] = text::ms(b.time->median_a_ms);
      row.insert(row.end(),
                 {text::ms(b.time->median_b_ms), text::ratio(b.time->ratio), text::change(b.time->ratio),
                  text::p_value(*b.time), std::string(to_string(b.time->speed))});
    } else {
      row.insert(row.end(), {"", "", "", "", b.regression ? "LOST" : ""});
    }
    if (b.regression) row.back() += " !";
    table.add_row(std::move(row));
  }
  section(out, text::best_heading(c), table);
}

void print_timing(FILE* out, const Comparison& c) {
  TextTable table({"problem", "candidate", "A ms", "B ms", "B/A", "change", "p", "speed"});
  for (const auto& p : c.timing) {
    if (p.time.speed == Speed::same) continue;
    table.add_row({p.problem, p.candidate, text::ms(p.time.median_a_ms), text::ms(p.time.median_b_ms),
                   text::ratio(p.time.ratio), text::change(p.time.ratio), text::p_value(p.time),
                   std::string(to_string(p.time.speed))});
  }
  section(out, text::timing_heading(c), table);
}

void print_geomeans(FILE* out, const Comparison& c) {
  TextTable table({"backend", "type", "direction", "pairs", "B/A geomean", "problems", "best B/A geomean"});
  for (const auto& g : c.geomeans) {
    table.add_row({g.backend, g.data_type, g.direction, std::to_string(g.pairs),
                   g.pairs ? text::ratio(g.pair_geomean) : "-", std::to_string(g.problems),
                   g.problems ? text::ratio(g.best_geomean) : "-"});
  }
  section(out,
          c.geomeans.empty() ? "Geometric means of B/A: no pair timed in both runs"
                             : "Geometric means of B/A (below 1: B is faster)",
          table);
}

/// One line per difference; values too long for one line (a command line) each get their own.
void print_fingerprint(FILE* out, const Comparison& c) {
  if (c.fingerprint.empty()) {
    fmt::print(out, "\nFingerprints: no difference\n");
    return;
  }
  fmt::print(out, "\nFingerprint differences: {}\n", c.fingerprint.size());
  for (const auto& f : c.fingerprint) {
    if (f.a.size() + f.b.size() <= kDetailWidth) {
      fmt::print(out, "  {}: {} -> {}\n", f.field, f.a, f.b);
    } else {
      fmt::print(out, "  {}:\n    A: {}\n    B: {}\n", f.field, f.a, f.b);
    }
  }
}

}  // namespace

void print_comparison_table(FILE* out, const Comparison& c) {
  fmt::print(out, "A: {}\nB: {}\n{}; '!' marks a regression\n", text::run(c.a), text::run(c.b),
             text::settings(c.settings));
  for (const auto& line : text::unmatched_problems(c)) fmt::print(out, "{}\n", line);
  print_changes(out, c, false);
  print_changes(out, c, true);
  print_best(out, c);
  print_timing(out, c);
  print_geomeans(out, c);
  print_fingerprint(out, c);
  fmt::print(out, "\ncompare: {} ({} candidate(s) in both runs)\n", text::result(c), c.matched);
}

}  // namespace convprobe
