#include "report/json_printer.hpp"

#include "report/document.hpp"

namespace convprobe {

void JsonPrinter::do_begin(const ReportBegin& b) {
  doc_ = b.document;
  doc_["trials"] = nlohmann::json::array();
}

void JsonPrinter::do_trial(const ReportedTrial& t) { doc_["trials"].push_back(trial_to_json(t)); }

void JsonPrinter::do_end(const ReportEnd& e) {
  if (e.document.is_object()) {
    for (const auto& [name, value] : e.document.items()) doc_[name] = value;
  }
  write_json_output(path_, doc_);
}

}  // namespace convprobe
