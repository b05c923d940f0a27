// One finished trial as reports show it: the human table (verdict, median ms, TFLOP/s, error, detail) and its
// JSON form (docs/json-schema.md). Printers (report/printer.hpp) are built on these.
#pragma once

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "convprobe/backend.hpp"

namespace convprobe {

/// Where a trial read back from the results database was stored (`results` shows these fields).
struct StoredTrialRef {
  int64_t id = 0;
  int64_t run_id = 0;
  std::string finished_at;
  std::string problem_key;  ///< the problem key exactly as stored
};

struct ReportedTrial {
  Problem problem;
  std::string backend;
  Candidate candidate;
  TrialResult result;
  std::string repro;
  std::optional<StoredTrialRef> stored;  ///< set for trials read back from the database
};

/// The problem key a report shows: the key as stored for a stored trial, else the canonical key(problem).
[[nodiscard]] std::string reported_problem_key(const ReportedTrial& t);
/// Effective TFLOP/s of a trial, or a negative number when it has no timing.
[[nodiscard]] double tflops(const Problem& p, const TrialResult& r);
/// One trial as JSON (the field names of docs/json-schema.md). A stored trial also gets "id", "run_id",
/// "finished_at" and its problem key as stored, and loses "restart_worker" (a protocol flag, not stored).
[[nodiscard]] nlohmann::json trial_to_json(const ReportedTrial& t);
/// The human table, grouped by problem, trials in the given order.
void print_trial_table(FILE* out, const std::vector<ReportedTrial>& trials);
/// The command that reproduces one trial (benchdnn's __REPRO).
[[nodiscard]] std::string repro_command(const Problem& p, const std::string& backend, const Candidate& c);

}  // namespace convprobe
