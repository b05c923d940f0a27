#include "report/printer.hpp"

#include <stdexcept>
#include <string>

namespace convprobe {

void Printer::advance(Stage from, Stage to, const char* call) {
  if (stage_ != from) throw std::logic_error(std::string("Printer::") + call + " called out of order");
  stage_ = to;
}

void Printer::begin(const ReportBegin& b) {
  advance(Stage::ready, Stage::open, "begin");
  do_begin(b);
}

void Printer::trial(const ReportedTrial& t) {
  advance(Stage::open, Stage::open, "trial");
  do_trial(t);
}

void Printer::end(const ReportEnd& e) {
  advance(Stage::open, Stage::ended, "end");
  do_end(e);
}

}  // namespace convprobe
