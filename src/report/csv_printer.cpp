#include "report/csv_printer.hpp"

#include <fmt/core.h>

#include <cmath>
#include <iostream>
#include <optional>
#include <stdexcept>

#include "base/files.hpp"

namespace convprobe {

namespace {

/// A number as its shortest round-tripping text ("{}" is locale-independent); empty when not finite.
std::string number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); }

bool looks_like_formula(std::string_view s) {
  if (s.empty()) return false;
  const char c = s.front();
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/// A row: each field with whether it is text (guarded against formulas) or a number.
struct Field {
  std::string value;
  bool text = true;
};

std::string join_row(const std::vector<Field>& fields) {
  std::string row;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) row += ',';
    row += csv_field(fields[i].value, fields[i].text);
  }
  return row + "\r\n";
}

Field num(double v) { return {number(v), false}; }
Field count(int64_t v, bool present) { return {present ? fmt::format("{}", v) : std::string(), false}; }

}  // namespace

const std::vector<std::string_view>& csv_columns() {
  static const std::vector<std::string_view> kColumns{
      "run_id",         "backend",     "device",    "problem", "label",   "runs",   "direction",
      "type",           "layout",      "candidate", "family",  "verdict", "detail", "phase",
      "time_median_ms", "time_min_ms", "samples",   "tflops",  "rel_err", "repro"};
  return kColumns;
}

std::string csv_field(std::string_view value, bool text) {
  std::string v;
  if (text && looks_like_formula(value)) v += '\'';
  v += value;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string quoted = "\"";
  for (const char c : v) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string csv_row(const ReportedTrial& t) {
  const auto& p = t.problem;
  const auto& r = t.result;
  const double tf = tflops(p, r);
  return join_row({
      count(t.stored ? t.stored->run_id : 0, t.stored.has_value()),
      {t.backend},
      {r.device},
      {reported_problem_key(t)},
      {p.label},
      count(p.runs, p.runs > 0),
      {std::string(to_string(p.dir))},
      {std::string(to_string(p.type))},
      {std::string(to_string(p.layout))},
      {t.candidate.id},
      {t.candidate.family},
      {std::string(to_string(r.verdict))},
      {r.detail},
      {std::string(to_string(r.phase))},
      r.time ? num(r.time->median_ms) : Field{"", false},
      r.time ? num(r.time->min_ms) : Field{"", false},
      count(r.time ? r.time->repeats : 0, r.time.has_value()),
      tf >= 0 ? num(tf) : Field{"", false},
      r.rel_err >= 0 ? num(r.rel_err) : Field{"", false},
      {t.repro},
  });
}

void CsvPrinter::do_begin(const ReportBegin& /*b*/) {
  std::vector<Field> header;
  for (const auto name : csv_columns()) header.push_back({std::string(name)});
  text_ = join_row(header);
}

void CsvPrinter::do_end(const ReportEnd& /*e*/) {
  if (path_ == "-") {
    std::cout << text_ << std::flush;
    return;
  }
  std::string err;
  if (!write_file_atomically(path_, text_, &err)) throw std::runtime_error("cannot write CSV: " + err);
}

}  // namespace convprobe
