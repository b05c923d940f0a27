#include "report/printer_multiplex.hpp"

namespace convprobe {

void PrinterMultiplex::do_begin(const ReportBegin& b) {
  for (auto& p : printers_) p->begin(b);
}

void PrinterMultiplex::do_trial(const ReportedTrial& t) {
  for (auto& p : printers_) p->trial(t);
}

void PrinterMultiplex::do_end(const ReportEnd& e) {
  for (auto& p : printers_) p->end(e);
}

}  // namespace convprobe
