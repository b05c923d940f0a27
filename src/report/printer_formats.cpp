#include "report/printer_formats.hpp"

#include <cstdio>

#include "report/csv_printer.hpp"
#include "report/error_printer.hpp"
#include "report/json_printer.hpp"
#include "report/table_printer.hpp"

namespace convprobe {

namespace {

template <typename P>
std::unique_ptr<Printer> make(const std::string& path) {
  return std::make_unique<P>(path);
}

}  // namespace

const std::vector<PrinterFormat>& printer_formats() {
  static const std::vector<PrinterFormat> kFormats{
      {"json", "Write results as one JSON document to FILE, or '-' for stdout", make<JsonPrinter>},
      {"csv",
       "Write one CSV row per trial (RFC 4180, CRLF; columns in docs/csv.md) to FILE, or '-' for stdout",
       make<CsvPrinter>},
  };
  return kFormats;
}

bool writes_stdout(const ReportTargets& targets) {
  for (const auto& [name, path] : targets) {
    if (path == "-") return true;
  }
  return false;
}

std::unique_ptr<PrinterMultiplex> make_report_printers(const ReportTargets& targets) {
  auto printers = std::make_unique<PrinterMultiplex>();
  if (!writes_stdout(targets)) printers->add(std::make_unique<TablePrinter>(stdout));
  printers->add(std::make_unique<ErrorPrinter>(stderr));
  for (const auto& format : printer_formats()) {
    const auto it = targets.find(format.name);
    if (it != targets.end() && !it->second.empty()) printers->add(format.make(it->second));
  }
  return printers;
}

}  // namespace convprobe
