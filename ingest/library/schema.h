// The library schema and its migrations, keyed by `PRAGMA user_version`. Each step runs in its own
// transaction (BEGIN IMMEDIATE, so two processes opening a fresh library do not both migrate it); a
// library written by a newer Folio (user_version above kSchemaVersion) is refused with a clear error.
//
//   v1  collections, documents, chunks, chunks_fts (FTS5 over chunk text + heading, kept in sync by
//       triggers; porter/unicode61 tokenizer; BM25 rank with the heading weighted 4x)
//   v2  the tables the pipeline fills: summary_nodes, questions, answers, citations, usage,
//       routing_aggregates
//   v3  summary_nodes.children (JSON ids), heading, page/line spans; index by (model, source_hash)
//   v4  no insert trigger on chunks: Library adds new chunks to chunks_fts itself, one statement per
//       write batch (code writing chunks directly must index them the same way)
#pragma once

#include <span>
#include <string_view>

#include "engine/common/result.h"
#include "ingest/library/database.h"

namespace folio::ingest {

constexpr int kSchemaVersion = 4;

struct Migration {
  int version;               // user_version after this step
  std::string_view summary;  // one line for logs and errors
  std::string_view sql;
};

// All steps, in order (step i brings the schema from version i to i + 1).
std::span<const Migration> migrations();

// Brings `db` to `target_version` (default: the newest). Refuses a database newer than this build
// knows, and a target below the current version (no downgrades).
Status migrate(Database& db, int target_version = kSchemaVersion);

Result<int> schemaVersion(Database& db);

}  // namespace folio::ingest
