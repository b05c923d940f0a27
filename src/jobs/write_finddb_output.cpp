#include "jobs/write_finddb_output.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdio>

#include "base/text.hpp"
#include "policy/text_safety.hpp"
#include "report/document.hpp"

namespace convprobe {

namespace {

nlohmann::json record_json(const FindDbDecision& d, size_t i, const miopen::FindDbWriteReport* report) {
  const FindDbChoice& c = d.records[i];
  nlohmann::json r = {{"problem", c.problem},
                      {"key", c.record.key},
                      {"solver", c.record.entry.solver},
                      {"algorithm", c.record.entry.algorithm},
                      {"candidate", c.candidate},
                      {"time_ms", c.record.entry.time_ms},
                      {"workspace_bytes", c.record.entry.workspace},
                      {"trials", c.trials},
                      {"line", miopen::finddb_line(c.record, d.format)}};
  if (!c.label.empty()) r["label"] = c.label;
  if (report) {
    r["change"] = to_string(report->changes.at(i));
    if (!report->replaced.at(i).empty()) r["replaced_line"] = report->replaced[i];
  }
  return r;
}

/// The logged keys that have a record here, and those that have none.
std::pair<std::vector<std::string>, std::vector<std::string>> split_logged_keys(
    const FindDbDecision& d, const miopen::UserFindDbLookups& log) {
  std::pair<std::vector<std::string>, std::vector<std::string>> out;
  for (const auto& key : log.keys) {
    const bool ours = std::any_of(d.records.begin(), d.records.end(),
                                  [&](const FindDbChoice& c) { return c.record.key == key; });
    (ours ? out.first : out.second).push_back(key);
  }
  return out;
}

void print_text(const FindDbDecision& d, const miopen::FindDbWriteReport& r,
                const miopen::UserFindDbLookups* log) {
  fmt::print("find-db {} (MIOpen {}, format {}){}\n", r.path, d.version.to_string(), to_string(d.format),
             r.existed ? "" : " (new file)");
  for (size_t i = 0; i < d.records.size(); ++i) {
    const FindDbChoice& c = d.records[i];
    fmt::print("  {:<9} {} -> {} {:.4g} ms  [{}]\n", to_string(r.changes[i]), c.problem,
               c.record.entry.solver, c.record.entry.time_ms, c.record.key);
  }
  for (const auto& s : d.skipped)
    fmt::print("  no record {}: {}\n", s.problem, sanitize_comment(s.reason, 300));
  size_t n[3] = {0, 0, 0};
  for (auto c : r.changes) ++n[static_cast<int>(c)];
  const bool would_change = n[0] + n[1] > 0;
  fmt::print("{}: {} added, {} replaced, {} unchanged; {} other line(s) of the file kept byte for byte\n",
             r.written      ? "written"
             : would_change ? "dry run, nothing written"
                            : "nothing to change",
             n[0], n[1], n[2], r.kept_lines);
  if (!r.backup_path.empty()) fmt::print("backup: {}\n", r.backup_path);
  if (r.written && !r.existed) fmt::print("backup: none (there was no file)\n");
  fmt::print("lock: {}\n", r.lock_path);
  if (log) {
    const auto [recorded, missing] = split_logged_keys(d, *log);
    fmt::print("MIOpen's log looked up {} key(s) in this file: {} have a record, {} have none{}{}\n",
               log->keys.size(), recorded.size(), missing.size(),
               missing.empty() ? "" : " (not swept?): ", join_for_message(missing, 4));
  }
}

}  // namespace

nlohmann::json finddb_document(const FindDbDecision& d, const miopen::FindDbWriteReport* report,
                               const miopen::UserFindDbLookups* log) {
  nlohmann::json doc = document_header();
  doc["format"] = "miopen-finddb";
  doc["miopen_version"] = d.version.to_string();
  doc["finddb_format"] = to_string(d.format);
  doc["records"] = nlohmann::json::array();
  for (size_t i = 0; i < d.records.size(); ++i) doc["records"].push_back(record_json(d, i, report));
  doc["skipped"] = nlohmann::json::array();
  for (const auto& s : d.skipped) doc["skipped"].push_back({{"problem", s.problem}, {"reason", s.reason}});
  if (report) {
    doc["file"] = report->path;
    doc["written"] = report->written;
    doc["existed"] = report->existed;
    doc["backup"] = report->backup_path.empty() ? nlohmann::json() : nlohmann::json(report->backup_path);
    doc["lock"] = report->lock_path;
    doc["kept_lines"] = report->kept_lines;
  }
  if (log) {
    const auto [recorded, missing] = split_logged_keys(d, *log);
    doc["log"] = {{"file", log->path}, {"keys_with_record", recorded}, {"keys_without_record", missing}};
  }
  return doc;
}

void print_finddb_report(const FindDbDecision& d, const miopen::FindDbWriteReport* report,
                         const miopen::UserFindDbLookups* log, bool json) {
  if (json) {
    write_json_output("-", finddb_document(d, report, log));
  } else if (report) {
    print_text(d, *report, log);
  } else {
    for (const auto& c : d.records) fmt::print("{}\n", miopen::finddb_line(c.record, d.format));
  }
  std::fflush(stdout);
}

}  // namespace convprobe
