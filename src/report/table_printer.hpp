// The human report on a terminal: one table per backend (candidate ids mean something only within their
// backend), each grouped by problem in plan order, then the summary lines. `sweep`, `run` and `results` all
// reach the table through this printer.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "report/printer.hpp"

namespace convprobe {

class TablePrinter final : public Printer {
 public:
  explicit TablePrinter(FILE* out) : out_(out) {}

 private:
  void do_begin(const ReportBegin& b) override;
  void do_trial(const ReportedTrial& t) override { trials_.push_back(t); }
  void do_end(const ReportEnd& e) override;
  /// The trials in plan order: several devices finish problems out of order.
  [[nodiscard]] std::vector<ReportedTrial> in_plan_order() const;

  FILE* out_;
  std::vector<std::string> problem_order_;
  std::vector<std::string> backends_;
  std::vector<ReportedTrial> trials_;
};

}  // namespace convprobe
