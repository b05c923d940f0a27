// Store on SQLite. Opening is two-step so that a file we must refuse is never written: a read-only
// connection inspects it (foreign, corrupt, newer schema -> StoreError), and only then a read-write one
// creates or migrates it and switches it to WAL.
//
// Durability: WAL with synchronous=NORMAL. A commit is in the WAL (the OS page cache) when add_trial
// returns, so killing the process (kill -9, OOM killer, crash) loses no finished trial. Only a power loss or
// kernel crash can roll back the commits since the last checkpoint (never corrupting the file), and --resume
// re-runs those. synchronous=FULL would fsync on every trial for no gain against the failures convprobe is
// built for (docs/store.md).
#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "store/fingerprint.hpp"
#include "store/sqlite_handle.hpp"
#include "store/store_schema.hpp"
#include "store/store_time.hpp"
#include "store/trial_rows.hpp"

namespace convprobe {

namespace {

using store_detail::Db;

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Db> db, bool read_only, int schema_version)
      : db_(std::move(db)), read_only_(read_only), schema_version_(schema_version) {}

  int64_t begin_run(const Fingerprint& fp, bool resume) override {
    require_writable("starting a run");
    const std::string identity = fp.identity();
    if (resume) {
      auto existing = db_->prepare("SELECT id FROM runs WHERE identity = ? ORDER BY id DESC LIMIT 1");
      existing.bind(1, identity);
      if (existing.step("looking up a run to resume")) return existing.int64_at(0);
    }
    db_->prepare(
           "INSERT INTO runs (identity, fingerprint_json, backend, started_at, command_line) VALUES (?, ?, "
           "?, ?, ?)")
        .bind(1, identity)
        .bind(2, fingerprint_to_json(fp).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        .bind(3, fp.backend)
        .bind(4, store_detail::utc_now_iso8601())
        .bind(5, fp.command_line)
        .run("starting a run");
    return db_->last_insert_rowid();
  }

  void add_trial(int64_t run_id, const Problem& problem, const std::string& backend,
                 const Candidate& candidate, const TrialResult& result, const std::string& repro) override {
    require_writable("storing a trial");
    store_detail::insert_trial(*db_, run_id, problem, backend, candidate, result, repro);
  }

  bool has_trial(const std::string& fingerprint_identity, const std::string& problem_key,
                 const std::string& backend, const std::string& candidate_id) override {
    auto stmt = db_->prepare(
        "SELECT 1 FROM trials JOIN runs ON trials.run_id = runs.id WHERE runs.identity = ? AND "
        "trials.problem = ? "
        "AND trials.backend = ? AND trials.candidate = ? LIMIT 1");
    stmt.bind(1, fingerprint_identity).bind(2, problem_key).bind(3, backend).bind(4, candidate_id);
    return stmt.step("looking up a stored trial");
  }

  std::vector<StoredTrial> trials(const TrialFilter& filter) override {
    return store_detail::select_trials(*db_, filter, schema_version_);
  }

  std::vector<StoredRun> runs() override { return select_runs("", std::nullopt); }

  std::map<int64_t, int64_t> trial_counts() override {
    auto stmt = db_->prepare("SELECT run_id, COUNT(*) FROM trials GROUP BY run_id");
    std::map<int64_t, int64_t> counts;
    while (stmt.step("counting trials")) counts[stmt.int64_at(0)] = stmt.int64_at(1);
    return counts;
  }

  std::optional<StoredRun> run(int64_t id) override {
    auto found = select_runs(" WHERE id = ?", id);
    if (found.empty()) return std::nullopt;
    return found.front();
  }

 private:
  void require_writable(std::string_view what) const {
    if (read_only_) throw StoreError(fmt::format("{}: opened read-only, cannot do {}", db_->path(), what));
  }

  std::vector<StoredRun> select_runs(const char* where, std::optional<int64_t> id) {
    auto stmt =
        db_->prepare(fmt::format("SELECT id, fingerprint_json, started_at FROM runs{} ORDER BY id", where));
    if (id) stmt.bind(1, *id);
    std::vector<StoredRun> out;
    while (stmt.step("reading runs")) {
      StoredRun run;
      run.id = stmt.int64_at(0);
      try {
        run.fingerprint = fingerprint_from_json(nlohmann::json::parse(stmt.text_at(1)));
      } catch (const nlohmann::json::exception& e) {
        throw StoreError(
            fmt::format("{}: run {} has a damaged fingerprint: {}", db_->path(), run.id, e.what()));
      }
      run.started_at = stmt.text_at(2);
      out.push_back(std::move(run));
    }
    return out;
  }

  std::unique_ptr<Db> db_;
  bool read_only_;
  int schema_version_;  ///< the file's: below kSchemaVersion only for a read-only open
};

/// For a file about to be created: its directory must exist (or be created when asked).
void prepare_parent_dir(const std::string& path, bool create) {
  namespace fs = std::filesystem;
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) return;  // relative name in the current directory
  std::error_code ec;
  if (fs::is_directory(parent, ec)) return;
  if (!create) {
    throw StoreError(fmt::format("cannot create {}: directory {} does not exist", path, parent.string()));
  }
  fs::create_directories(parent, ec);
  if (ec)
    throw StoreError(
        fmt::format("cannot create directory {} for {}: {}", parent.string(), path, ec.message()));
}

/// WAL + NORMAL (see the top of this file). The pragma answers the mode it ended in; anything but "wal"
/// (e.g. a file system without shared memory) is refused rather than silently losing concurrency.
void configure_connection(Db& db) {
  auto mode = db.prepare("PRAGMA journal_mode = WAL");
  const std::string result = mode.step("switching to WAL mode") ? mode.text_at(0) : "";
  if (result != "wal") {
    throw StoreError(
        fmt::format("{}: cannot use WAL mode (SQLite answered '{}'); put the database on a local file "
                    "system",
                    db.path(), result));
  }
  db.exec("PRAGMA synchronous = NORMAL", "setting synchronous mode");
}

}  // namespace

std::unique_ptr<Store> Store::open(const std::string& path) { return open(path, StoreOptions{}); }

std::unique_ptr<Store> Store::open(const std::string& path, const StoreOptions& options) {
  namespace fs = std::filesystem;
  using store_detail::kSchemaVersion;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  const bool exists = fs::exists(status);
  if (exists && fs::is_directory(status))
    throw StoreError(fmt::format("{} is a directory, not a database file", path));

  store_detail::SchemaState state{true, 0};
  if (exists) {
    // Inspect through a read-only connection: a file we refuse must come out byte for byte untouched.
    auto probe = std::make_unique<Db>(path, SQLITE_OPEN_READONLY, options.busy_timeout_ms);
    state = store_detail::inspect_schema(*probe);
    if (options.read_only) {
      if (state.fresh)
        throw StoreError(fmt::format("{} is an empty database: no convprobe results in it", path));
      if (state.version < store_detail::kOldestReadableSchema) {
        throw StoreError(
            fmt::format("{} has schema {} (current: {}); open it once for writing (e.g. `convprobe "
                        "sweep --db {}`) to migrate it",
                        path, state.version, kSchemaVersion, path));
      }
      return std::make_unique<SqliteStore>(std::move(probe), true, state.version);
    }
  } else if (options.read_only || !options.create) {
    throw StoreError(fmt::format("no results database at {}", path));
  } else {
    prepare_parent_dir(path, options.create_parent_dir);
  }

  auto db = std::make_unique<Db>(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options.busy_timeout_ms);
  if (state.fresh || state.version < kSchemaVersion) store_detail::bring_up_to_date(*db);
  configure_connection(*db);
  return std::make_unique<SqliteStore>(std::move(db), false, kSchemaVersion);
}

}  // namespace convprobe
