// Several printers as one (nvbench's printer_multiplex): every call goes to each printer in the order they
// were added, so the table reaches the terminal before a JSON document is written, as it always has.
#pragma once

#include <memory>
#include <vector>

#include "report/printer.hpp"

namespace convprobe {

class PrinterMultiplex final : public Printer {
 public:
  void add(std::unique_ptr<Printer> printer) { printers_.push_back(std::move(printer)); }
  [[nodiscard]] size_t size() const { return printers_.size(); }

 private:
  void do_begin(const ReportBegin& b) override;
  void do_trial(const ReportedTrial& t) override;
  void do_end(const ReportEnd& e) override;
  std::vector<std::unique_ptr<Printer>> printers_;
};

}  // namespace convprobe
