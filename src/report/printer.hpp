// One interface for everything that shows a trial report (run, sweep, results): begin, one call per finished
// trial, end. nvbench's printer_base is the model: public calls over private do_* hooks, so what holds for
// every printer (the order of the calls) is checked once, here. A printer may buffer (the table follows the
// plan, not the completion order); nothing it owes is written before end(). A new format is one file with a
// Printer and one row in printer_formats.cpp.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/trial_report.hpp"

namespace convprobe {

/// What a report opens with.
struct ReportBegin {
  /// The JSON document's opening: document_header() and the fields before the trials ("run", "runs").
  nlohmann::json document;
  /// Problem keys in plan order: tables group trials by problem in this order (empty: in the order given).
  std::vector<std::string> problem_order;
  /// The backends the report is about (a sweep's one): each gets its table even when no trial ran. Tables
  /// for other backends appear as their trials do (results).
  std::vector<std::string> backends;
};

/// What a report ends with.
struct ReportEnd {
  std::vector<std::string> summary;  ///< lines under the table ("12 trial(s) on 3 problem(s): PASS 12", ...)
  std::vector<std::string>
      errors;               ///< what could not be run at all (problems whose candidates were not listed)
  nlohmann::json document;  ///< fields the JSON document ends with ("errors", "time"); null: none
};

class Printer {
 public:
  virtual ~Printer() = default;
  Printer() = default;
  Printer(const Printer&) = delete;
  Printer& operator=(const Printer&) = delete;

  /// Once, before any trial. Throws std::logic_error when called out of order (begin, trial..., end).
  void begin(const ReportBegin& b);
  void trial(const ReportedTrial& t);
  /// Once, after the last trial: the printer writes what it owes.
  void end(const ReportEnd& e);

 private:
  virtual void do_begin(const ReportBegin& /*b*/) {}
  virtual void do_trial(const ReportedTrial& /*t*/) {}
  virtual void do_end(const ReportEnd& e) = 0;

  enum class Stage { ready, open, ended };
  void advance(Stage from, Stage to, const char* call);
  Stage stage_ = Stage::ready;
};

}  // namespace convprobe
