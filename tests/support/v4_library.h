// A library at schema version 4 (before the prefix indexes of v5), built with the old migrations' own
// SQL and filled and indexed the way the v4 Library did, so tests can open it and watch it upgrade.
#pragma once

#include <filesystem>
#include <span>

#include "engine/common/result.h"
#include "ingest/chunk.h"

namespace folio::test {

// Writes `chunks` into a new v4 library at `path`, `chunks_per_document` to a document, in collection
// "old": chunks stored, then one INSERT INTO chunks_fts ... SELECT, in one transaction.
Status createV4Library(const std::filesystem::path& path, std::span<const ingest::Chunk> chunks,
                       int chunks_per_document);

}  // namespace folio::test
