#include "report/trial_report.hpp"

#include <fmt/core.h>

#include <cmath>

#include "core/json_io.hpp"
#include "core/shell_quote.hpp"
#include "report/text_table.hpp"

namespace convprobe {

double tflops(const Problem& p, const TrialResult& r) {
  if (!r.time || !(r.time->median_ms > 0)) return -1;
  return p.flops() / (r.time->median_ms * 1e-3) / 1e12;
}

std::string reported_problem_key(const ReportedTrial& t) {
  return t.stored ? t.stored->problem_key : key(t.problem);
}

std::string repro_command(const Problem& p, const std::string& backend, const Candidate& c) {
  return fmt::format("convprobe run {} -b {} --candidates {}", shell_quote(to_string(p)), backend,
                     shell_quote(c.id));
}

nlohmann::json trial_to_json(const ReportedTrial& t) {
  nlohmann::json j = to_json(t.result);
  j["problem"] = reported_problem_key(t);
  if (!t.problem.label.empty()) j["label"] = t.problem.label;
  if (t.problem.runs > 0) j["runs"] = t.problem.runs;
  j["backend"] = t.backend;
  j["candidate"] = t.candidate.id;
  j["family"] = t.candidate.family;
  j["notes"] = t.candidate.notes;
  const double tf = tflops(t.problem, t.result);
  j["tflops"] = tf >= 0 ? nlohmann::json(tf) : nlohmann::json(nullptr);
  j["repro"] = t.repro;
  if (t.stored) {
    j.erase("restart_worker");
    j["id"] = t.stored->id;
    j["run_id"] = t.stored->run_id;
    j["finished_at"] = t.stored->finished_at;
  }
  return j;
}

namespace {

std::string truncate(const std::string& s, size_t n) {
  std::string one_line = s;
  for (char& ch : one_line) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  return one_line.size() > n ? one_line.substr(0, n - 3) + "..." : one_line;
}

}  // namespace

void print_trial_table(FILE* out, const std::vector<ReportedTrial>& trials) {
  TextTable table({"candidate", "verdict", "median_ms", "TFLOP/s", "rel_err", "detail"});
  std::string last_problem;
  for (const auto& t : trials) {
    const std::string pk = to_string(t.problem);
    if (pk != last_problem) {
      // How often the user's program ran it (a captured or imported problem): which rows matter most.
      const std::string ran = t.problem.runs > 0 ? fmt::format(", ran {}x", t.problem.runs) : "";
      table.add_heading(fmt::format("# {}   ({}{})", pk, to_short_string(t.problem), ran));
      last_problem = pk;
    }
    const auto& r = t.result;
    const double tf = tflops(t.problem, r);
    table.add_row({t.candidate.id, std::string(to_string(r.verdict)),
                   r.time ? fmt::format("{:.4g}", r.time->median_ms) : "-",
                   tf >= 0 ? fmt::format("{:.3g}", tf) : "-",
                   r.rel_err >= 0 ? fmt::format("{:.2e}", r.rel_err) : "-", truncate(r.detail, 100)});
  }
  table.print(out);
}

}  // namespace convprobe
