#include "ingest/library/database.h"

#include "ingest/library/fts_cjk_tokenizer.h"
#include "ingest/library/fts_top_k.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <utility>

namespace folio::ingest {

Error sqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string file = "(database)";
  if (db) {
    const char* name = sqlite3_db_filename(db, "main");
    file = (name && *name) ? name : ":memory:";
  }
  std::string reason = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const int primary = rc & 0xff;
  ErrorKind kind = ErrorKind::Io;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) kind = ErrorKind::BadInput;
  if (primary == SQLITE_INTERRUPT) kind = ErrorKind::Cancelled;
  return Error{kind, file + ": " + std::string(what) + ": " + reason};
}

// ---- Statement ---------------------------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_) sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

void Statement::checkBind(int rc, int index) const {
  // A failing bind is a programming error (wrong index, statement in use), not bad input.
  if (rc != SQLITE_OK) {
    const std::string msg = "bind parameter " + std::to_string(index) + " of `" + sqlite3_sql(stmt_) +
                            "`: " + sqlite3_errstr(rc);
    FOLIO_CHECK_MSG(false, msg.c_str());
  }
}

Statement& Statement::bind(int index, int64_t value) {
  FOLIO_CHECK(stmt_);
  checkBind(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  FOLIO_CHECK(stmt_);
  checkBind(sqlite3_bind_double(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  FOLIO_CHECK(stmt_);
  checkBind(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8), index);
  return *this;
}

Statement& Statement::bindNull(int index) {
  FOLIO_CHECK(stmt_);
  checkBind(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

Statement& Statement::bindPointer(int index, void* pointer, const char* type) {
  FOLIO_CHECK(stmt_);
  checkBind(sqlite3_bind_pointer(stmt_, index, pointer, type, nullptr), index);
  return *this;
}

Result<bool> Statement::step() {
  FOLIO_CHECK(stmt_);
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = sqliteError(sqlite3_db_handle(stmt_), rc, std::string("`") + sqlite3_sql(stmt_) + "`");
  sqlite3_reset(stmt_);
  return e;
}

Status Statement::run() {
  for (;;) {
    auto r = step();
    if (!r) {
      reset();
      return r.error();
    }
    if (!*r) break;
  }
  reset();
  return {};
}

void Statement::reset() {
  if (!stmt_) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::columnInt64(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::columnDouble(int column) const { return sqlite3_column_double(stmt_, column); }
bool Statement::columnIsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::string_view Statement::columnTextView(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (!p) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::string Statement::columnText(int column) const { return std::string(columnTextView(column)); }

// ---- Database ----------------------------------------------------------------------------------

Result<Database> Database::open(const std::filesystem::path& path, const DatabaseOptions& options) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (options.create && !options.read_only) flags |= SQLITE_OPEN_CREATE;
  const std::string name = path.string();
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  Database db(raw, name);  // owns the handle even when opening failed
  if (rc != SQLITE_OK) {
    std::string reason = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return Error{ErrorKind::Io, name + ": cannot open the library: " + reason};
  }
  sqlite3_extended_result_codes(raw, 1);
  db.busy_timeout_ms_ = options.busy_timeout_ms;
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  // A read-only or in-memory database keeps its own mode.
  if (!options.read_only) FOLIO_TRY(db.enableWal());
  FOLIO_TRY(db.exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-" +
                    std::to_string(options.cache_kib) + ";"));
  // Reading the schema fails early with a clear message for a file that is not a database.
  auto check = db.queryInt("SELECT count(*) FROM sqlite_schema");
  if (!check) return check.error();
  FOLIO_TRY(registerTopKRanking(raw));   // search() ranks with it
  FOLIO_TRY(registerCjkTokenizer(raw));  // chunks_fts tokenizes with it (schema v6 on)
  return db;
}

// Switching a new file to WAL needs its exclusive lock, and while another connection is switching it (two
// openers of a library that does not exist yet) SQLite answers "database is locked" at once, without the
// busy handler. So the switch is retried here, backing off, until the busy timeout has passed.
Status Database::enableWal() {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(busy_timeout_ms_);
  for (int backoff_ms = 1;; backoff_ms = std::min(2 * backoff_ms, 50)) {
    // journal_mode returns a row; NOTADB shows up here for a file that is not a database.
    auto mode = prepare("PRAGMA journal_mode=WAL");
    Status st;
    if (!mode) {
      st = mode.error();
    } else if (auto stepped = mode->step(); !stepped) {
      st = stepped.error();
    }
    if (st || !lastCallWasBusy() || Clock::now() >= deadline) return st;
    std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
  }
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), name_(std::move(other.name_)), busy_timeout_ms_(other.busy_timeout_ms_) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (db_) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    name_ = std::move(other.name_);
    busy_timeout_ms_ = other.busy_timeout_ms_;
  }
  return *this;
}

Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

Status Database::exec(std::string_view sql) {
  FOLIO_CHECK(db_);
  char* msg = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &msg);
  if (rc != SQLITE_OK) {
    std::string reason = msg ? msg : sqlite3_errstr(rc);
    sqlite3_free(msg);
    Error e = sqliteError(db_, rc, "exec");
    e.message = name_ + ": " + reason;
    return e;
  }
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  FOLIO_CHECK(db_);
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                    nullptr);
  if (rc != SQLITE_OK) {
    if (stmt) sqlite3_finalize(stmt);
    return sqliteError(db_, rc, "prepare `" + std::string(sql) + "`");
  }
  return Statement(stmt);
}

Result<int64_t> Database::queryInt(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return *row ? stmt->columnInt64(0) : int64_t{0};
}

int64_t Database::lastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t Database::changes() const { return sqlite3_changes64(db_); }
bool Database::inTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
bool Database::lastCallWasBusy() const { return (sqlite3_errcode(db_) & 0xff) == SQLITE_BUSY; }
void Database::setBusyTimeout(int ms) { sqlite3_busy_timeout(db_, ms < 0 ? busy_timeout_ms_ : ms); }

// ---- Transaction -------------------------------------------------------------------------------

namespace {
int execRaw(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }
}  // namespace

Result<Transaction> Transaction::begin(Database& db) {
  FOLIO_CHECK_MSG(!db.inTransaction(), "Transaction::begin inside a transaction");
  const int rc = execRaw(db.handle(), "BEGIN IMMEDIATE");
  if (rc != SQLITE_OK) return sqliteError(db.handle(), rc, "BEGIN IMMEDIATE");
  return Transaction(db.handle());
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction& Transaction::operator=(Transaction&& other) noexcept {
  if (this != &other) {
    rollback();
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Transaction::~Transaction() { rollback(); }

Status Transaction::commit() {
  FOLIO_CHECK_MSG(db_, "commit of a finished transaction");
  const int rc = execRaw(db_, "COMMIT");
  if (rc != SQLITE_OK) {
    Error e = sqliteError(db_, rc, "COMMIT");
    rollback();
    return e;
  }
  db_ = nullptr;
  return {};
}

void Transaction::rollback() {
  if (!db_) return;
  // After some errors SQLite has already rolled back; ROLLBACK then fails harmlessly.
  if (sqlite3_get_autocommit(db_) == 0) execRaw(db_, "ROLLBACK");
  db_ = nullptr;
}

}  // namespace folio::ingest
