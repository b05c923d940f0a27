// The report as one JSON document (docs/json-schema.md): the opening begin() gives (document_header() and
// "run" or "runs"), "trials" in completion order, and the fields end() gives ("errors", "time"). Written
// once, at the end, to a file or to stdout ("-").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "report/printer.hpp"

namespace convprobe {

class JsonPrinter final : public Printer {
 public:
  explicit JsonPrinter(std::string path) : path_(std::move(path)) {}

 private:
  void do_begin(const ReportBegin& b) override;
  void do_trial(const ReportedTrial& t) override;
  void do_end(const ReportEnd& e) override;
  std::string path_;
  nlohmann::json doc_;
};

}  // namespace convprobe
