// A report's errors (problems whose candidates could not be listed, so nothing of them ran) as
// "convprobe: error: ..." lines on stderr, at the end: after the table, before a JSON document is written.
// They are printed whatever else is shown, also when stdout carries a document.
#pragma once

#include <cstdio>

#include "report/printer.hpp"

namespace convprobe {

class ErrorPrinter final : public Printer {
 public:
  explicit ErrorPrinter(FILE* err) : err_(err) {}

 private:
  void do_end(const ReportEnd& e) override;
  FILE* err_;
};

}  // namespace convprobe
