// A thin RAII layer over the SQLite C API for the store: one connection (Db), one prepared statement (Stmt),
// one write transaction (WriteTransaction). Every failure becomes a StoreError that names the file and says
// what happened in words a user can act on ("locked by another process", "not a SQLite database").
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace convprobe::store_detail {

/// The StoreError for SQLite result code `rc` while doing `what` on `path`. Busy/locked and
/// not-a-database/corrupt get fixed wordings (tests and users match on them); the rest quote SQLite.
[[nodiscard]] StoreError sqlite_error(const std::string& path, int rc, std::string_view what,
                                      std::string_view sqlite_message);

class Stmt;

/// One connection. Not copyable; closed when destroyed.
class Db {
 public:
  /// Opens `path` with SQLite `flags` (SQLITE_OPEN_READONLY, or READWRITE [| CREATE]). Throws StoreError.
  Db(std::string path, int flags, int busy_timeout_ms);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  /// Runs one or more statements without results. `what` says what for error messages.
  void exec(std::string_view sql, std::string_view what);
  [[nodiscard]] Stmt prepare(std::string_view sql);
  /// Throws the StoreError for `rc` with this connection's current message.
  [[noreturn]] void fail(int rc, std::string_view what) const;

  [[nodiscard]] sqlite3* handle() const { return db_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] int busy_timeout_ms() const { return busy_timeout_ms_; }
  [[nodiscard]] int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  int busy_timeout_ms_ = 0;
};

/// One prepared statement. Bind indexes are 1-based (SQLite's), column indexes 0-based.
class Stmt {
 public:
  Stmt(Db& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
  ~Stmt();
  Stmt(Stmt&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;

  Stmt& bind(int index, int64_t value);
  Stmt& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Stmt& bind(int index, double value);
  Stmt& bind(int index, std::string_view text);
  Stmt& bind_null(int index);

  /// Advances: true when a row is available, false when done. Throws StoreError (with `what`) on failure.
  bool step(std::string_view what);
  /// Runs a statement that returns no rows.
  void run(std::string_view what);

  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] int64_t int64_at(int column) const;
  [[nodiscard]] double double_at(int column) const;
  [[nodiscard]] std::string text_at(int column) const;

 private:
  Db* db_;
  sqlite3_stmt* stmt_;
};

/// BEGIN IMMEDIATE ... COMMIT; rolled back when destroyed without commit() (an exception escaped).
/// IMMEDIATE takes the write lock up front, so a concurrent writer makes us wait (busy timeout) at BEGIN
/// instead of failing half-way through.
class WriteTransaction {
 public:
  explicit WriteTransaction(Db& db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool open_ = true;
};

}  // namespace convprobe::store_detail
