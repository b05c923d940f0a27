// The formats a trial report can be written in besides the terminal table, one row each; a command offers
// each as `--<name> FILE` ('-': stdout, which then carries only that document). Adding a format (csv,
// markdown, html) = its printer's file + one row in printer_formats.cpp.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "report/printer_multiplex.hpp"

namespace convprobe {

/// Format name -> where it goes: a path, or "-" for stdout. An empty path: not asked for.
using ReportTargets = std::map<std::string, std::string>;

struct PrinterFormat {
  const char* name;  ///< the option is --<name>
  const char* help;  ///< the option's help, unless the command words it itself
  std::unique_ptr<Printer> (*make)(const std::string& path);
};

/// Every format, in the order their printers run (after the table).
[[nodiscard]] const std::vector<PrinterFormat>& printer_formats();

/// Whether some format goes to stdout (then there is no table, and no progress lines).
[[nodiscard]] bool writes_stdout(const ReportTargets& targets);

/// The printers of a trial report: the table on stdout unless a document goes there, the errors on stderr,
/// then one printer per format asked for.
[[nodiscard]] std::unique_ptr<PrinterMultiplex> make_report_printers(const ReportTargets& targets);

}  // namespace convprobe
