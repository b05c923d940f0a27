#include "report/listing_report.hpp"

#include <fmt/core.h>

#include "core/json_io.hpp"
#include "report/document.hpp"
#include "report/text_table.hpp"

namespace convprobe {

void print_backend_table(FILE* out, const std::vector<ProbedBackend>& backends) {
  TextTable table({"backend", "device", "version", "status"});
  for (const auto& [name, info] : backends) {
    if (!info.available) {
      table.add_row({name, "-", info.version.empty() ? "-" : info.version, "unavailable: " + info.reason});
      continue;
    }
    for (const auto& d : info.devices) {
      std::string status = "ok";
      if (!info.notes.empty())
        status += " (" + info.notes.front() + (info.notes.size() > 1 ? ", ..." : "") + ")";
      table.add_row({name, fmt::format("{}: {}", d.index, d.name), info.version, status});
    }
    if (info.devices.empty()) table.add_row({name, "-", info.version, "ok (no devices)"});
  }
  table.print(out);
}

nlohmann::json backends_document(const std::vector<ProbedBackend>& backends) {
  nlohmann::json doc = document_header();
  doc["backends"] = nlohmann::json::array();
  for (const auto& b : backends) doc["backends"].push_back(to_json(b.info));
  return doc;
}

void print_candidate_table(FILE* out, const Problem& problem, const std::vector<Candidate>& candidates) {
  TextTable table({"candidate", "family", "notes"});
  for (const auto& c : candidates) table.add_row({c.id, c.family, c.notes});
  table.print(out);
  fmt::print(out, "{} candidate(s) for {}\n", candidates.size(), to_short_string(problem));
}

nlohmann::json candidates_document(const Problem& problem, const std::string& backend,
                                   const std::vector<Candidate>& candidates) {
  nlohmann::json doc = document_header();
  doc["problem"] = key(problem);
  doc["backend"] = backend;
  doc["candidates"] = nlohmann::json::array();
  for (const auto& c : candidates) doc["candidates"].push_back(to_json(c));
  return doc;
}

}  // namespace convprobe
