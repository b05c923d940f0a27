#include "jobs/verify_output.hpp"

#include <fmt/core.h>

#include "report/document.hpp"

namespace convprobe {

namespace {

std::string status_of(const VerifiedProblem& p) { return p.ok() ? "ok" : "FAIL"; }

nlohmann::json problem_json(const VerifiedProblem& p) {
  nlohmann::json j{{"problem", p.problem},
                   {"status", status_of(p)},
                   {"before_pass", p.before_pass},
                   {"after_pass", p.after_pass},
                   {"removed", p.removed},
                   {"issues", p.issues},
                   {"notes", p.notes},
                   {"candidates", nlohmann::json::array()}};
  if (!p.written.empty()) j["written"] = p.written;
  for (const auto& c : p.candidates) {
    j["candidates"].push_back(nlohmann::json{{"candidate", c.id},
                                             {"before", c.before ? std::string(to_string(*c.before)) : "-"},
                                             {"after", to_string(c.after.verdict)},
                                             {"detail", c.after.detail},
                                             {"picked", c.after.picked}});
  }
  return j;
}

nlohmann::json torch_json(const TorchCheckResult& torch) {
  if (!torch.ran) return {{"status", "SKIPPED"}, {"reason", torch.skipped_reason}};
  nlohmann::json j = torch.report;
  j["status"] = torch.ok ? "PASS" : "FAIL";
  return j;
}

}  // namespace

void VerifyPrinter::start(const PolicySource& source, const std::string& backend, size_t problems) const {
  if (!text_) return;
  fmt::print("verify {} ({}, backend {}): {} problem(s) in a fresh worker with", source.path, source.format,
             backend, problems);
  if (source.env.empty()) fmt::print(" no environment changes");
  for (const auto& [name, value] : source.env) fmt::print(" {}={}", name, value);
  fmt::print("\n");
}

void VerifyPrinter::problem(const VerifiedProblem& p) const {
  if (!text_) return;
  if (!p.written.empty()) {
    fmt::print("{:<4} {}  record: {}\n", status_of(p), p.problem, p.written);
  } else {
    fmt::print("{:<4} {}  before: {} pass  after: {} pass of {} run, {} removed\n", status_of(p), p.problem,
               p.before_pass, p.after_pass, p.candidates.size(), p.removed.size());
  }
  for (const auto& issue : p.issues) fmt::print("       {}\n", issue);
  for (const auto& note : p.notes) fmt::print("       note: {}\n", note);
}

void VerifyPrinter::errors(const std::vector<std::string>& errors) const {
  for (const auto& e : errors) fmt::print(stderr, "convprobe: error: {}\n", e);
}

void VerifyPrinter::torch(const TorchCheckResult& torch) const {
  if (!text_) return;
  if (!torch.ran) {
    fmt::print("torch: SKIPPED ({})\n", torch.skipped_reason);
    return;
  }
  for (const auto& line : torch.lines) fmt::print("torch: {}\n", line);
}

void VerifyPrinter::end(const VerifyOutcome& v) const {
  if (!text_) return;
  size_t failed = 0;
  for (const auto& p : v.report.problems) failed += !p.ok();
  fmt::print("{}: {} of {} problem(s) pass with the policy{}\n", v.ok ? "verified" : "NOT verified",
             v.report.problems.size() - failed, v.report.problems.size(),
             v.report.errors.empty() ? "" : fmt::format(", {} error(s)", v.report.errors.size()));
}

nlohmann::json verify_document(const VerifyOutcome& v) {
  nlohmann::json doc = document_header();
  doc["policy"] = v.source.path;
  doc["format"] = v.source.format;
  doc["backend"] = v.backend;
  doc["env"] = v.source.env;
  doc["ok"] = v.ok;
  doc["errors"] = v.report.errors;
  doc["problems"] = nlohmann::json::array();
  if (!v.report.onednn_cap.empty()) doc["onednn_cap"] = v.report.onednn_cap;
  for (const auto& p : v.report.problems) doc["problems"].push_back(problem_json(p));
  if (v.torch) doc["torch"] = torch_json(*v.torch);
  return doc;
}

}  // namespace convprobe
