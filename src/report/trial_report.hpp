// Reporting finished trials: the human table (verdict, median ms, TFLOP/s, error, detail) and the JSON
// document of docs/json-schema.md ({"schema_version", "run", "trials"}).
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "convprobe/backend.hpp"

namespace convprobe {

struct ReportedTrial {
  Problem problem;
  std::string backend;
  Candidate candidate;
  TrialResult result;
  std::string repro;
};

/// Effective TFLOP/s of a trial, or a negative number when it has no timing.
[[nodiscard]] double tflops(const Problem& p, const TrialResult& r);
/// One trial as JSON (the field names of docs/json-schema.md).
[[nodiscard]] nlohmann::json trial_to_json(const ReportedTrial& t);
/// The human table, grouped by problem, trials in the given order.
void print_trial_table(FILE* out, const std::vector<ReportedTrial>& trials);
/// The command that reproduces one trial (benchdnn's __REPRO).
[[nodiscard]] std::string repro_command(const Problem& p, const std::string& backend, const Candidate& c);
/// Write `doc` to a path, or to stdout for "-". Throws std::runtime_error naming the path on failure.
void write_json_output(const std::string& path, const nlohmann::json& doc);

}  // namespace convprobe
