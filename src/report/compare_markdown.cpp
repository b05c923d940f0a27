// The comparison as Markdown for a pull request or a ticket: the result first (what a reviewer needs), then
// the same sections as the table, each a GitHub pipe table of the rows that changed.
#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "report/compare_output.hpp"
#include "report/compare_text.hpp"

namespace convprobe {

namespace {

namespace text = compare_text;

constexpr size_t kDetailWidth = 160;

/// A table cell: one line of at most `max` bytes, pipes escaped, code in backticks where asked.
std::string cell(const std::string& s, bool code = false, size_t max = kDetailWidth) {
  std::string out;
  for (char ch : text::one_line(s, max)) {
    if (ch == '|') out += '\\';
    out += ch;
  }
  if (!code || out.empty()) return out;
  return out.find('`') == std::string::npos ? "`" + out + "`" : "``" + out + "``";
}

std::string row(const std::vector<std::string>& cells) {
  std::string line = "|";
  for (const auto& c : cells) line += " " + c + " |";
  return line + "\n";
}

std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return "";
  std::string out = row(header) + row(std::vector<std::string>(header.size(), "---"));
  for (const auto& r : rows) out += row(r);
  return out + "\n";
}

std::string changes(const Comparison& c, bool appearances) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& ch : c.changes) {
    if ((ch.kind == ChangeKind::appeared || ch.kind == ChangeKind::disappeared) != appearances) continue;
    rows.push_back(
        {(ch.regression ? "**" + std::string(to_string(ch.kind)) + "**" : std::string(to_string(ch.kind))),
         cell(ch.problem, true), cell(ch.candidate, true), text::verdict(ch.a), text::verdict(ch.b),
         cell(ch.detail_a), cell(ch.detail_b), cell(ch.repro, true)});
  }
  return fmt::format("## {}\n\n", text::changes_heading(c, appearances)) +
         table({"change", "problem", "candidate", "A", "B", "A detail", "B detail", "repro"}, rows);
}

std::string best(const Comparison& c) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& b : c.best) {
    if (!text::worth_showing(b)) continue;
    const std::string speed = b.time ? std::string(to_string(b.time->speed)) : (b.regression ? "LOST" : "");
    rows.push_back({cell(b.problem, true), cell(text::best_candidate(b.candidate_a, b.pass_a), true),
                    cell(text::best_candidate(b.candidate_b, b.pass_b), true),
                    b.time ? text::ratio(b.time->ratio) : "", b.time ? text::change(b.time->ratio) : "",
                    b.time ? text::p_value(*b.time) : "", b.regression ? "**" + speed + "**" : speed});
  }
  return fmt::format("## {}\n\n", text::best_heading(c)) +
         table({"problem", "A best", "B best", "B/A", "change", "p", "speed"}, rows);
}

std::string timing(const Comparison& c) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : c.timing) {
    if (p.time.speed == Speed::same) continue;
    rows.push_back({cell(p.problem, true), cell(p.candidate, true), text::ms(p.time.median_a_ms),
                    text::ms(p.time.median_b_ms), text::ratio(p.time.ratio), text::change(p.time.ratio),
                    text::p_value(p.time), std::string(to_string(p.time.speed))});
  }
  return fmt::format("## {}\n\n", text::timing_heading(c)) +
         table({"problem", "candidate", "A ms", "B ms", "B/A", "change", "p", "speed"}, rows);
}

std::string geomeans_and_fingerprint(const Comparison& c) {
  std::vector<std::vector<std::string>> g, f;
  for (const auto& r : c.geomeans) {
    g.push_back({r.backend, r.data_type, r.direction, std::to_string(r.pairs),
                 r.pairs ? text::ratio(r.pair_geomean) : "-", std::to_string(r.problems),
                 r.problems ? text::ratio(r.best_geomean) : "-"});
  }
  // Whole values: a command line cut short would hide the option that differs.
  for (const auto& d : c.fingerprint)
    f.push_back({cell(d.field, true), cell(d.a, false, 4096), cell(d.b, false, 4096)});
  return "## Geometric means of B/A\n\n" +
         table({"backend", "type", "direction", "pairs", "B/A", "problems", "best B/A"}, g) +
         fmt::format("## Fingerprint differences: {}\n\n", f.empty() ? "none" : std::to_string(f.size())) +
         table({"field", "A", "B"}, f);
}

}  // namespace

std::string comparison_markdown(const Comparison& c) {
  std::string out = fmt::format("# convprobe compare: {}\n\n- A: {}\n- B: {}\n- {}\n", text::result(c),
                                cell(text::run(c.a)), cell(text::run(c.b)), text::settings(c.settings));
  for (const auto& line : text::unmatched_problems(c)) out += "- " + cell(line) + "\n";
  return out + "\n" + changes(c, false) + changes(c, true) + best(c) + timing(c) +
         geomeans_and_fingerprint(c);
}

void write_comparison_markdown(const std::string& path, const Comparison& c) {
  const std::string text = comparison_markdown(c);
  if (path == "-") {
    std::cout << text << std::flush;
    return;
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!(f << text) || !f.flush()) {
    throw std::runtime_error(fmt::format("cannot write Markdown to '{}': {}", path, std::strerror(errno)));
  }
}

}  // namespace convprobe
