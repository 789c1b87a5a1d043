#include "ingest/library/verify.h"

#include "ingest/content_hash.h"

namespace folio::ingest {

Result<std::string> contentDigest(Database& db) {
  auto docs = db.prepare(
      "SELECT d.id, c.name, d.path, d.rel_path, d.kind, d.language, d.content_hash, d.size, d.title, d.page_count, "
      "d.line_count, d.chunk_count, d.status, d.error, d.chunker, d.chunker_version FROM documents d JOIN collections c ON c.id = d.collection_id "
      "ORDER BY c.name, d.path");
  if (!docs) return docs.error();
  auto chunks = db.prepare(
      "SELECT ordinal, kind, heading, page_first, page_last, line_first, line_last, byte_begin, byte_end, text, "
      "token_count FROM chunks WHERE document_id = ?1 ORDER BY ordinal");
  if (!chunks) return chunks.error();
  // Each field is written with its length, so ("ab","c") and ("a","bc") differ.
  std::string all;
  std::string buf;
  auto field = [&](std::string_view v) {
    buf += std::to_string(v.size());
    buf += ':';
    buf += v;
  };
  for (;;) {
    auto row = docs->step();
    if (!row) return row.error();
    if (!*row) break;
    buf.clear();
    for (int col = 1; col <= 15; ++col) field(docs->columnTextView(col));
    chunks->bind(1, docs->columnInt64(0));
    for (;;) {
      auto c = chunks->step();
      if (!c) return c.error();
      if (!*c) break;
      for (int col = 0; col <= 10; ++col) field(chunks->columnTextView(col));
    }
    chunks->reset();
    all += hashToHex(xxh64(buf));
  }
  return hashToHex(xxh64(all));
}

Status verifyLibrary(Database& db) {
  auto ic = db.prepare("PRAGMA integrity_check");
  if (!ic) return ic.error();
  auto row = ic->step();
  if (!row) return row.error();
  if (!*row || ic->columnTextView(0) != "ok") {
    return Error{ErrorKind::BadInput, db.name() + ": integrity_check: " + (*row ? ic->columnText(0) : "no result")};
  }
  ic->reset();
  if (auto fts = db.exec("INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)"); !fts) {
    return Error{ErrorKind::BadInput, "full-text index out of sync: " + fts.error().message};
  }
  auto mismatch = db.prepare(
      "SELECT d.path, d.chunk_count, (SELECT count(*) FROM chunks c WHERE c.document_id = d.id) AS n "
      "FROM documents d WHERE n != d.chunk_count LIMIT 1");
  if (!mismatch) return mismatch.error();
  auto bad = mismatch->step();
  if (!bad) return bad.error();
  if (*bad) {
    return Error{ErrorKind::BadInput, db.name() + ": document " + mismatch->columnText(0) + " records " +
                                          std::to_string(mismatch->columnInt64(1)) + " chunks but has " +
                                          std::to_string(mismatch->columnInt64(2))};
  }
  auto orphans = db.queryInt(
      "SELECT count(*) FROM chunks c WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = c.document_id)");
  if (!orphans) return orphans.error();
  if (*orphans != 0) {
    return Error{ErrorKind::BadInput, db.name() + ": " + std::to_string(*orphans) + " chunks without a document"};
  }
  return {};
}

}  // namespace folio::ingest
