// Whether chunks_fts answers a prefix term from one of its prefix indexes (schema.h,
// kChunkPrefixLengths) or has to merge the doclists of every term under the prefix. search() asks,
// to choose how it fetches its hits' snippets: a merge is worth doing once for all hits, a prefix
// index read is cheap enough to do once per hit.
#pragma once

#include <string_view>

#include "engine/common/result.h"
#include "ingest/library/database.h"

namespace folio::ingest {

// `prefix` is the term without its '*', as the user typed it; it goes through chunks_fts's tokenizer
// the way FTS5 sends a prefix query term through it. Assumes the newest schema (a library opened
// through Library is migrated to it).
Result<bool> servedByPrefixIndex(Database& db, std::string_view prefix);

}  // namespace folio::ingest
