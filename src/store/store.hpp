// Durable results: SQLite in WAL mode, one row per trial committed as it finishes, plus a `runs` table with
// the environment fingerprint. Schema version and migrations in store_schema.cpp. A locked, corrupt or
// foreign database is reported as StoreError and the file is left untouched.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "convprobe/backend.hpp"

namespace convprobe {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What a run was: enough to tell whether two runs' results are comparable (--resume).
struct Fingerprint {
  std::string host;
  std::string cpu;
  std::string backend;
  std::string backend_version;
  std::vector<std::string> devices;  ///< one entry per device used
  std::string driver;
  std::string convprobe_version;
  std::map<std::string, std::string> env;  ///< MIOPEN_*, CUDNN_*, ONEDNN_*, ... that affect algorithm choice
  std::string command_line;
  std::string date;  ///< ISO 8601 UTC
  /// Stable hash of everything that makes results comparable (not date or command line).
  [[nodiscard]] std::string identity() const;
};

struct StoredTrial {
  int64_t id = 0;
  int64_t run_id = 0;
  std::string problem;        ///< canonical key
  std::string problem_label;  ///< the problem's label (n"..."), not part of its key
  std::string backend;
  Candidate candidate;
  TrialResult result;
  std::string repro;        ///< command that reproduces this trial
  std::string finished_at;  ///< ISO 8601 UTC
};

struct TrialFilter {
  std::string backend;            ///< exact, empty = any
  std::string candidate_glob;     ///< empty = any; comma-separated globs, as matches_any()
  std::string problem_glob;       ///< empty = any; one glob over the key or the label
  std::vector<Verdict> verdicts;  ///< empty = any
  std::optional<int64_t> run_id;
};

struct StoredRun {
  int64_t id = 0;
  Fingerprint fingerprint;
  std::string started_at;
};

struct StoreOptions {
  /// Viewers (`results`, `report`): never write, never create, never migrate.
  bool read_only = false;
  /// Create the file when missing (ignored when read_only).
  bool create = true;
  /// Also create missing parent directories: for the default path only, an explicit --db must exist.
  bool create_parent_dir = false;
  /// Wait this long for another process's lock, then fail with "database is locked by another process".
  int busy_timeout_ms = 2000;
};

class Store {
 public:
  /// Open or create. Throws StoreError naming the file and the reason (locked, not a convprobe database,
  /// corrupt, newer schema) without modifying the file.
  static std::unique_ptr<Store> open(const std::string& path);
  static std::unique_ptr<Store> open(const std::string& path, const StoreOptions& options);
  virtual ~Store() = default;

  /// Start a run; returns its id. With resume, an existing run whose fingerprint identity matches is reused.
  virtual int64_t begin_run(const Fingerprint& fp, bool resume) = 0;
  /// Commit one trial (its own transaction, durable when this returns).
  virtual void add_trial(int64_t run_id, const Problem& problem, const std::string& backend,
                         const Candidate& candidate, const TrialResult& result, const std::string& repro) = 0;
  /// Has (problem, backend, candidate) a stored trial in any run with this fingerprint identity?
  virtual bool has_trial(const std::string& fingerprint_identity, const std::string& problem_key,
                         const std::string& backend, const std::string& candidate_id) = 0;
  virtual std::vector<StoredTrial> trials(const TrialFilter& filter) = 0;
  virtual std::vector<StoredRun> runs() = 0;
  virtual std::optional<StoredRun> run(int64_t id) = 0;
  /// Stored trials per run id (runs without trials are absent). The default reads every trial.
  virtual std::map<int64_t, int64_t> trial_counts() {
    std::map<int64_t, int64_t> counts;
    for (const auto& t : trials(TrialFilter{})) ++counts[t.run_id];
    return counts;
  }
};

/// The default database path: $CONVPROBE_DB, else $XDG_DATA_HOME/convprobe/results.db, else
/// ~/.local/share/convprobe/results.db. Commands open it through store/results_db.hpp, not Store::open.
[[nodiscard]] std::string default_db_path();
/// The database a command uses: `given` (its --db), or default_db_path() when that is empty.
[[nodiscard]] inline std::string db_path_or_default(const std::string& given) {
  return given.empty() ? default_db_path() : given;
}

}  // namespace convprobe
