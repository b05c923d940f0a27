#include "jobs/selftest_output.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

#include "report/text_table.hpp"

namespace convprobe {

namespace {

/// "PASS x2, HANG x7" in first-seen order.
std::string verdict_counts(const std::vector<Verdict>& verdicts) {
  std::vector<std::pair<Verdict, int>> counts;
  for (Verdict v : verdicts) {
    auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == v; });
    if (it == counts.end()) {
      counts.emplace_back(v, 1);
    } else {
      ++it->second;
    }
  }
  std::string out;
  for (const auto& [v, n] : counts) out += fmt::format("{}{} x{}", out.empty() ? "" : ", ", to_string(v), n);
  return out;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

/// One row per candidate, in first-seen order.
void print_candidate_table(FILE* out, const SelftestReport& report) {
  std::vector<std::string> order;
  std::map<std::string, std::pair<std::vector<Verdict>, std::vector<Verdict>>> by_candidate;
  for (const auto& t : report.trials) {
    auto [it, inserted] = by_candidate.try_emplace(t.candidate);
    if (inserted) order.push_back(t.candidate);
    it->second.first.push_back(t.expected);
    it->second.second.push_back(t.result.verdict);
  }
  TextTable table({"candidate", "expected", "got", "match"});
  for (const auto& id : order) {
    const auto& [expected, got] = by_candidate[id];
    table.add_row({id, verdict_counts(expected), verdict_counts(got), expected == got ? "yes" : "NO"});
  }
  table.print(out);
}

}  // namespace

void print_selftest(FILE* out, const SelftestReport& report) {
  print_candidate_table(out, report);
  size_t matched = 0;
  for (const auto& t : report.trials) {
    if (t.matches()) {
      ++matched;
      continue;
    }
    fmt::print(out, "mismatch: {} on {}: expected {}, got {}: {}\n", t.candidate, key(t.problem),
               to_string(t.expected), to_string(t.result.verdict), first_line(t.result.detail));
  }
  fmt::print(out, "selftest: {}/{} verdicts as expected in {:.1f} s: {}\n", matched, report.trials.size(),
             report.seconds, report.all_match() ? "OK" : "FAILED");
}

nlohmann::json selftest_document(const SelftestReport& report, const SelftestOptions& options) {
  nlohmann::json trials = nlohmann::json::array();
  for (const auto& t : report.trials) {
    trials.push_back({{"problem", to_string(t.problem)},
                      {"candidate", t.candidate},
                      {"expected", std::string(to_string(t.expected))},
                      {"got", std::string(to_string(t.result.verdict))},
                      {"match", t.matches()},
                      {"phase", std::string(to_string(t.result.phase))},
                      {"detail", t.result.detail},
                      {"wall_ms", t.result.wall_ms}});
  }
  return {{"selftest",
           {{"ok", report.all_match()},
            {"backend", options.backend},
            {"timeout_floor_ms", options.timeout_floor_ms},
            {"timeout_cap_ms", options.timeout_cap_ms},
            {"seconds", report.seconds},
            {"trials", trials}}}};
}

void write_selftest_document(const std::string& path, const nlohmann::json& doc) {
  const std::string text = doc.dump(2) + "\n";
  if (path == "-") {
    fmt::print("{}", text);
    return;
  }
  std::ofstream out(path);
  if (!out || !(out << text)) throw std::runtime_error("cannot write " + path);
}

}  // namespace convprobe
