// What `verify` shows: a line for what is verified, one per problem as it is judged, the torch check's lines,
// and the verdict ("verified: 9 of 9 problem(s) pass with the policy"); or one JSON document
// (docs/policy.md). Errors go to stderr either way.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "jobs/verify_job.hpp"

namespace convprobe {

class VerifyPrinter {
 public:
  /// `text`: false when stdout carries the JSON document (then only errors are printed).
  explicit VerifyPrinter(bool text) : text_(text) {}
  void start(const PolicySource& source, const std::string& backend, size_t problems) const;
  void problem(const VerifiedProblem& p) const;
  void errors(const std::vector<std::string>& errors) const;
  void torch(const TorchCheckResult& torch) const;
  void end(const VerifyOutcome& v) const;

 private:
  bool text_;
};

[[nodiscard]] nlohmann::json verify_document(const VerifyOutcome& v);

}  // namespace convprobe
