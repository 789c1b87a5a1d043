#include "ingest/library/fts5_api.h"

#include "ingest/library/database.h"

namespace folio::ingest {

Result<fts5_api*> fts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    rc = sqlite3_step(stmt);
    rc = rc == SQLITE_ROW ? SQLITE_OK : rc;
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_OK) return sqliteError(db, rc, "looking up the FTS5 API");
  if (!api)
    return Error{ErrorKind::Unsupported, "this SQLite has no FTS5 (needed for the library's search index)"};
  return api;
}

}  // namespace folio::ingest
