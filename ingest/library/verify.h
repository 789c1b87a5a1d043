// Whole-library checks: a digest of the stored content (to compare two libraries built from the same
// files) and a consistency check (SQLite integrity, FTS index, chunk counts).
#pragma once

#include <string>

#include "engine/common/result.h"
#include "ingest/library/database.h"

namespace folio::ingest {

// XXH64 over every document (collection, path, rel_path, kind, language, content hash, size, title,
// page/line/chunk counts, status, error, chunker and its version) and its chunks (ordinal, kind,
// heading, spans, byte offsets, text, token count), in collection/path/ordinal order; ids, mtimes and
// timestamps are left out, so two libraries ingested from the same files in any order and any number of
// runs agree.
Result<std::string> contentDigest(Database& db);

// `PRAGMA integrity_check` is ok, the FTS index matches the chunks table, and every document's
// chunk_count equals its number of chunk rows (skipped/failed documents have none). The error names
// the first problem found.
Status verifyLibrary(Database& db);

}  // namespace folio::ingest
