// The printer interface (report/printer.hpp) and the multiplexer: every call reaches each printer in the
// order they were added, and a call out of order (trial before begin, a second end) is a logic error.
#include "report/printer_multiplex.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "report/printer_formats.hpp"

namespace convprobe {
namespace {

/// Writes "<name>:begin", "<name>:trial <id>", "<name>:end" into a shared log.
class LogPrinter final : public Printer {
 public:
  LogPrinter(std::string name, std::vector<std::string>* log) : name_(std::move(name)), log_(log) {}

 private:
  void do_begin(const ReportBegin& /*b*/) override { log_->push_back(name_ + ":begin"); }
  void do_trial(const ReportedTrial& t) override { log_->push_back(name_ + ":trial " + t.candidate.id); }
  void do_end(const ReportEnd& /*e*/) override { log_->push_back(name_ + ":end"); }
  std::string name_;
  std::vector<std::string>* log_;
};

ReportedTrial trial_of(const std::string& id) {
  ReportedTrial t{};
  t.backend = "fault";
  t.candidate.id = id;
  return t;
}

TEST(PrinterMultiplex, EveryCallReachesEachPrinterInTheOrderAdded) {
  std::vector<std::string> log;
  PrinterMultiplex all;
  all.add(std::make_unique<LogPrinter>("table", &log));
  all.add(std::make_unique<LogPrinter>("json", &log));
  EXPECT_EQ(all.size(), 2u);
  all.begin(ReportBegin{});
  all.trial(trial_of("a"));
  all.trial(trial_of("b"));
  all.end(ReportEnd{});
  const std::vector<std::string> expected{"table:begin",   "json:begin",   "table:trial a", "json:trial a",
                                          "table:trial b", "json:trial b", "table:end",     "json:end"};
  EXPECT_EQ(log, expected);
}

TEST(PrinterMultiplex, CallsOutOfOrderAreLogicErrors) {
  std::vector<std::string> log;
  PrinterMultiplex all;
  all.add(std::make_unique<LogPrinter>("p", &log));
  EXPECT_THROW(all.trial(trial_of("a")), std::logic_error);  // before begin
  all.begin(ReportBegin{});
  EXPECT_THROW(all.begin(ReportBegin{}), std::logic_error);
  all.end(ReportEnd{});
  EXPECT_THROW(all.end(ReportEnd{}), std::logic_error);
  EXPECT_THROW(all.trial(trial_of("b")), std::logic_error);  // after end
  EXPECT_EQ(log, (std::vector<std::string>{"p:begin", "p:end"}));
}

TEST(PrinterFormats, ADocumentOnStdoutReplacesTheTable) {
  EXPECT_FALSE(writes_stdout({}));
  EXPECT_FALSE(writes_stdout({{"json", ""}}));
  EXPECT_FALSE(writes_stdout({{"json", "out.json"}}));
  EXPECT_TRUE(writes_stdout({{"json", "-"}}));
  // The table and the error printer; the JSON printer only when asked for.
  EXPECT_EQ(make_report_printers({})->size(), 2u);
  EXPECT_EQ(make_report_printers({{"json", "-"}})->size(), 2u);  // error printer + JSON on stdout
}

}  // namespace
}  // namespace convprobe
