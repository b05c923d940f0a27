// The listing jobs: what backends there are (`devices`) and what one offers for a problem (`candidates`).
// They answer with data; report/listing_report.hpp shows it.
#pragma once

#include <string>
#include <vector>

#include "convprobe/candidate.hpp"
#include "convprobe/problem.hpp"
#include "convprobe/trial.hpp"
#include "report/listing_report.hpp"

namespace convprobe {

/// Every named backend's info (all known backends when `names` is empty), asked of a worker, or of the
/// plugin loaded in this process with `in_process`; an info without a name gets the backend's. UsageError
/// for a name that is not a backend, before any is asked.
[[nodiscard]] std::vector<ProbedBackend> probe_backends(const std::vector<std::string>& names,
                                                        bool in_process);

struct CandidatesJobOptions {
  std::string backend;
  std::string patterns;  ///< --candidates: only ids matching these comma-separated globs
  bool in_process = false;
  TrialOptions trial;  ///< backend-only options (--math, ...) shape the list
};

/// The candidates the backend offers for `problem` that `patterns` selects, in the backend's order. Throws
/// std::runtime_error "backend NAME is unavailable: REASON" (jobs/session.hpp).
[[nodiscard]] std::vector<Candidate> list_candidates(const Problem& problem,
                                                     const CandidatesJobOptions& options);

}  // namespace convprobe
