#include "store/sqlite_handle.hpp"

#include <fmt/core.h>

#include <utility>

namespace convprobe::store_detail {

StoreError sqlite_error(const std::string& path, int rc, std::string_view what,
                        std::string_view sqlite_message) {
  switch (rc & 0xff) {  // primary code: extended codes keep it in the low byte
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StoreError(fmt::format(
          "{}: database is locked by another process (while {}); wait for the other convprobe or sqlite3 "
          "session to finish, or use another --db file",
          path, what));
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return StoreError(fmt::format("{} is not a SQLite database or is corrupt: {}", path, sqlite_message));
    case SQLITE_CANTOPEN:
      return StoreError(fmt::format("cannot open {}: {}", path, sqlite_message));
    case SQLITE_FULL:
      return StoreError(fmt::format("{}: disk full while {}: {}", path, what, sqlite_message));
    default:
      return StoreError(fmt::format("{}: {} failed: {}", path, what, sqlite_message));
  }
}

Db::Db(std::string path, int flags, int busy_timeout_ms)
    : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {
  const int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 allocates a handle even on failure (it carries the message); free it before throwing.
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw sqlite_error(path_, rc, "opening the database", message);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms_);
}

Db::~Db() {
  // Statements are all finalized by their owners (Stmt), so close cannot report SQLITE_BUSY here.
  sqlite3_close(db_);
}

void Db::exec(std::string_view sql, std::string_view what) {
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(rc, what);
}

Stmt Db::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) fail(rc, fmt::format("preparing `{}`", sql));
  return Stmt(*this, stmt);
}

void Db::fail(int rc, std::string_view what) const {
  throw sqlite_error(path_, rc, what, sqlite3_errmsg(db_));
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_->fail(rc, "binding a value");
  return *this;
}

Stmt& Stmt::bind(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) db_->fail(rc, "binding a value");
  return *this;
}

Stmt& Stmt::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, so the caller's string may die before step().
  const int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) db_->fail(rc, "binding a value");
  return *this;
}

Stmt& Stmt::bind_null(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_->fail(rc, "binding a value");
  return *this;
}

bool Stmt::step(std::string_view what) {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(stmt_);  // releases any lock the failed statement held
  db_->fail(rc, what);
}

void Stmt::run(std::string_view what) {
  while (step(what)) {
  }
}

bool Stmt::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

int64_t Stmt::int64_at(int column) const { return sqlite3_column_int64(stmt_, column); }

double Stmt::double_at(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Stmt::text_at(int column) const {
  // Length first-class: text may hold embedded NULs and must round-trip byte for byte.
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  return data ? std::string(data, static_cast<size_t>(size)) : std::string();
}

WriteTransaction::WriteTransaction(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE", "starting a write"); }

WriteTransaction::~WriteTransaction() {
  if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void WriteTransaction::commit() {
  db_.exec("COMMIT", "committing");
  open_ = false;
}

}  // namespace convprobe::store_detail
