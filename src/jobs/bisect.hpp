// The `bisect` job: where along one axis of a problem a candidate's verdict changes. It checks its inputs,
// starts a session, makes sure the candidate exists at --from, then lets the pure search (bisect_search.hpp)
// probe values; every probe is an ordinary trial (supervised by default, so HANG is a usable verdict) and is
// committed to the results database.
#pragma once

#include <cstdint>
#include <string>

#include "jobs/bisect_search.hpp"
#include "jobs/session.hpp"

namespace convprobe {

struct BisectOptions {
  SessionOptions session;
  std::string candidate;  ///< --candidate: one id
  std::string from;       ///< --from: the problem descriptor the search starts from
  std::string axis;       ///< --axis, as given
  int64_t to = 0;         ///< --to: the other end of the axis
  int spot_checks = 3;    ///< random extra values checked on each side
  std::string db_path;    ///< --db (empty: the default database)
  bool no_db = false;
  bool quiet = false;  ///< no per-probe lines on stderr
  TrialOptions trial;
};

/// What the search found, with what it was asked.
struct BisectReport {
  std::string backend;
  std::string candidate;
  std::string axis_name;  ///< as given (--axis)
  Axis axis = Axis::hw;
  Problem base;  ///< --from
  int64_t to = 0;
  BisectOutcome outcome;
  int64_t run_id = -1;  ///< the run the probes were stored as (-1: not stored)
};

/// Throws UsageError for bad input (an axis, a --from, a --to, a candidate the backend does not list at
/// --from), before anything is stored; std::runtime_error when the backend is unavailable.
[[nodiscard]] BisectReport run_bisect(const BisectOptions& options);

}  // namespace convprobe
