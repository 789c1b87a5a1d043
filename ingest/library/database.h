// The SQLite data layer: RAII wrappers for a connection (Database), a prepared statement (Statement)
// and a write transaction (Transaction). One Database per thread; a Database is never shared between
// threads (SQLite is opened with SQLITE_OPEN_NOMUTEX). Errors from SQLite come back as folio::Error
// whose message names the database file and SQLite's reason.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "engine/common/result.h"

namespace folio::ingest {

class Database;

class Statement {
 public:
  Statement() = default;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  bool valid() const { return stmt_ != nullptr; }

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT).
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bindNull(int index);
  // Passes `pointer` to an SQL function that asks for it by `type` (sqlite3_bind_pointer); the pointer
  // must outlive the statement's execution. `type` must be a string literal.
  Statement& bindPointer(int index, void* pointer, const char* type);

  // Steps once: true when a row is available, false when the statement is done.
  Result<bool> step();
  // Steps to completion, ignoring rows (INSERT/UPDATE/DELETE), then resets the statement.
  Status run();
  // Resets the statement and clears its bindings so it can be reused.
  void reset();

  // Columns are 0-based, as in SQLite.
  int64_t columnInt64(int column) const;
  int columnInt(int column) const { return static_cast<int>(columnInt64(column)); }
  double columnDouble(int column) const;
  std::string columnText(int column) const;          // "" for NULL
  std::string_view columnTextView(int column) const;  // valid until the next step/reset
  bool columnIsNull(int column) const;

 private:
  friend class Database;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  void checkBind(int rc, int index) const;

  sqlite3_stmt* stmt_ = nullptr;
};

// An Error naming the database file of `db` and SQLite's current message for `rc`.
Error sqliteError(sqlite3* db, int rc, std::string_view what);

struct DatabaseOptions {
  int busy_timeout_ms = 10000;
  int cache_kib = 32768;   // page cache per connection (PRAGMA cache_size = -cache_kib)
  bool create = true;      // create the file when it does not exist
  bool read_only = false;
};

class Database {
 public:
  // Opens (or creates) the database with WAL journaling, foreign keys on, synchronous=NORMAL and a
  // busy timeout. The parent directory must exist. ":memory:" opens a private in-memory database.
  static Result<Database> open(const std::filesystem::path& path, const DatabaseOptions& options = {});

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more SQL statements without results.
  Status exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  // A single integer from a query such as "PRAGMA user_version" (0 when it returns no row).
  Result<int64_t> queryInt(std::string_view sql);

  int64_t lastInsertRowid() const;
  int64_t changes() const;
  bool inTransaction() const;
  // The last failed call found the database locked by another connection past the busy timeout.
  bool lastCallWasBusy() const;
  // How long a locked database is retried before SQLITE_BUSY; ms < 0: the one it was opened with.
  void setBusyTimeout(int ms);
  sqlite3* handle() const { return db_; }
  const std::string& name() const { return name_; }

 private:
  Database(sqlite3* db, std::string name) : db_(db), name_(std::move(name)) {}
  Status enableWal();  // PRAGMA journal_mode=WAL, waiting out another connection's switch
  sqlite3* db_ = nullptr;
  std::string name_;
  int busy_timeout_ms_ = DatabaseOptions{}.busy_timeout_ms;
};

// BEGIN IMMEDIATE ... COMMIT; rolled back in the destructor unless committed. Not nestable.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&& other) noexcept;  // rolls back this one first if still open
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status commit();
  void rollback();
  bool active() const { return db_ != nullptr; }

 private:
  explicit Transaction(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace folio::ingest
