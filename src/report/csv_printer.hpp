// The report as CSV for spreadsheets (docs/csv.md): a fixed header row, then one row per trial in completion
// order, RFC 4180 (fields with a comma, quote, CR or LF quoted, quotes doubled, CRLF line ends). A text field
// a spreadsheet would read as a formula (leading = + - @, tab or CR) gets a leading ' (OWASP CSV injection);
// numeric columns never do. Written once, at the end, whole: to a file (atomically) or to stdout ("-").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/printer.hpp"

namespace convprobe {

/// The header row's columns, in order.
[[nodiscard]] const std::vector<std::string_view>& csv_columns();
/// One field as RFC 4180 writes it: `text` true adds the formula guard (') before quoting.
[[nodiscard]] std::string csv_field(std::string_view value, bool text);
/// One trial as a CSV row (CRLF-terminated), the columns of csv_columns().
[[nodiscard]] std::string csv_row(const ReportedTrial& t);

class CsvPrinter final : public Printer {
 public:
  explicit CsvPrinter(std::string path) : path_(std::move(path)) {}

 private:
  void do_begin(const ReportBegin& b) override;
  void do_trial(const ReportedTrial& t) override { text_ += csv_row(t); }
  void do_end(const ReportEnd& e) override;
  std::string path_;
  std::string text_;
};

}  // namespace convprobe
