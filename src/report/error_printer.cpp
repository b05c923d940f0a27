#include "report/error_printer.hpp"

#include <fmt/core.h>

namespace convprobe {

void ErrorPrinter::do_end(const ReportEnd& e) {
  for (const auto& error : e.errors) fmt::print(err_, "convprobe: error: {}\n", error);
}

}  // namespace convprobe
