// The FTS5 C API of a connection (the fts5_api that custom functions and tokenizers go through).
#pragma once

#include <sqlite3.h>

#include "engine/common/result.h"

namespace folio::ingest {

// The connection's fts5_api; an Unsupported error when this SQLite was built without FTS5.
Result<fts5_api*> fts5Api(sqlite3* db);

}  // namespace folio::ingest
