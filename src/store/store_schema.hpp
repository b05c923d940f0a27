// The store's schema: what a convprobe database looks like, how to tell one from any other file, and the
// ordered list of migrations that brings an older one up to date (ninja's build-log versioning, in SQL).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "store/sqlite_handle.hpp"

namespace convprobe::store_detail {

/// Current schema version: bump it and append a MigrationStep together, never edit a released step.
inline constexpr int kSchemaVersion = 4;
/// The oldest schema a read-only open accepts as it is. Schema 4 only added a column (trials'
/// time_samples_json) that a reader of a schema-3 file takes as NULL, so `results` and `compare` read a
/// database an older convprobe wrote without having to migrate (write) it; older schemas changed the meaning
/// of stored keys and must be migrated first.
inline constexpr int kOldestReadableSchema = 3;
/// The first schema with trials.time_samples_json.
inline constexpr int kSamplesSchema = 4;
/// SQLite header field 68 (PRAGMA application_id): "cvpb". Lets `file(1)` and us recognise the database.
inline constexpr int32_t kApplicationId = 0x63767062;

/// Upgrades a database from schema `to_version - 1` to `to_version`: runs `sql` (when not empty), then
/// `rewrite` (when set) for what SQL alone cannot do; both inside apply_migrations's transaction.
struct MigrationStep {
  int to_version;
  std::string_view description;
  std::string_view sql;
  void (*rewrite)(Db& db) = nullptr;
};

/// The real migrations, in order; step i produces version i + 1. Version 0 is an initialized database
/// (application_id and meta table) with no tables yet, so creating a database is migrating it from 0.
[[nodiscard]] std::span<const MigrationStep> migration_steps();

/// What a database file holds, read without writing anything.
struct SchemaState {
  bool fresh = false;  ///< no tables and no application_id: an empty file or a brand-new database
  int version = 0;     ///< schema version when !fresh
};

/// Inspects the database behind `db`. Throws StoreError (naming db.path()) when it is not a convprobe
/// database, when its meta table is damaged, or when a newer convprobe created it.
[[nodiscard]] SchemaState inspect_schema(Db& db);

/// Makes the database current: initializes a fresh one, applies pending migrations. Takes the write lock
/// and re-inspects under it, so two processes opening the same new file at once cannot both create it.
void bring_up_to_date(Db& db);

/// Applies the steps whose to_version is above the stored version and at most `target`, in order, and
/// records each new version. Must run inside a transaction (a failed step then leaves nothing behind).
void apply_migrations(Db& db, std::span<const MigrationStep> steps, int target);

/// Schema version stored in the meta table (the database must be a convprobe one).
[[nodiscard]] int stored_schema_version(Db& db);

}  // namespace convprobe::store_detail
