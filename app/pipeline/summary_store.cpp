#include "app/pipeline/summary_store.h"

#include <algorithm>
#include <ctime>

#include <nlohmann/json.hpp>

namespace folio::app {
namespace {

constexpr const char* kColumns =
    "id, collection_id, document_id, parent_id, level, ordinal, children, heading, page_first, page_last, "
    "line_first, line_last, source_hash, model, text, token_count, model_name";

SummaryNode readNode(const ingest::Statement& st) {
  SummaryNode n;
  n.id = st.columnInt64(0);
  n.collection_id = st.columnInt64(1);
  if (!st.columnIsNull(2)) n.document_id = st.columnInt64(2);
  if (!st.columnIsNull(3)) n.parent_id = st.columnInt64(3);
  n.level = st.columnInt(4);
  n.ordinal = st.columnInt(5);
  const auto children = nlohmann::json::parse(st.columnText(6), nullptr, false);
  if (children.is_array())
    for (const auto& c : children)
      if (c.is_number_integer()) n.children.push_back(c.get<int64_t>());
  n.heading = st.columnText(7);
  n.page_first = st.columnInt(8);
  n.page_last = st.columnInt(9);
  n.line_first = st.columnInt(10);
  n.line_last = st.columnInt(11);
  n.source_hash = st.columnText(12);
  n.model = st.columnText(13);
  n.text = st.columnText(14);
  n.token_count = st.columnInt(15);
  n.model_name = st.columnText(16);
  return n;
}

std::string childrenJson(const std::vector<int64_t>& ids) { return nlohmann::json(ids).dump(); }

void bindOptional(ingest::Statement& st, int index, std::optional<int64_t> v) {
  if (v) {
    st.bind(index, *v);
  } else {
    st.bindNull(index);
  }
}

Result<std::vector<SummaryNode>> readAll(ingest::Statement& st) {
  std::vector<SummaryNode> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(readNode(st));
  }
  return out;
}

}  // namespace

const char* summaryLevelName(int level) {
  switch (level) {
    case kSectionLevel: return "section";
    case kDocumentLevel: return "document";
    case kCollectionLevel: return "collection";
    default: return "summary";
  }
}

Result<int64_t> insertSummaryNode(ingest::Database& db, const SummaryNode& n) {
  auto st = db.prepare(
      "INSERT INTO summary_nodes(collection_id, document_id, parent_id, level, ordinal, children, heading, "
      "page_first, page_last, line_first, line_last, source_hash, model, text, token_count, created_at, model_name) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!st) return st.error();
  st->bind(1, n.collection_id);
  bindOptional(*st, 2, n.document_id);
  bindOptional(*st, 3, n.parent_id);
  st->bind(4, n.level).bind(5, n.ordinal).bind(6, childrenJson(n.children)).bind(7, n.heading);
  st->bind(8, n.page_first).bind(9, n.page_last).bind(10, n.line_first).bind(11, n.line_last);
  st->bind(12, n.source_hash).bind(13, n.model).bind(14, n.text).bind(15, n.token_count);
  st->bind(16, static_cast<int64_t>(std::time(nullptr))).bind(17, n.model_name);
  FOLIO_TRY(st->run());
  return db.lastInsertRowid();
}

Result<std::optional<SummaryNode>> findSummaryNode(ingest::Database& db, int64_t collection_id,
                                                   std::optional<int64_t> document_id, int level,
                                                   const std::string& model, const std::string& source_hash) {
  // The unary + keep SQLite (no ANALYZE stats) off summary_nodes_by_collection, which it otherwise
  // picks: a scan of every node of the collection per lookup, quadratic over a 20,000-file collection.
  // (model, source_hash) finds the node directly.
  auto st = db.prepare(std::string("SELECT ") + kColumns +
                       " FROM summary_nodes WHERE +collection_id = ? AND document_id IS ? AND +level = ? AND model = ? "
                       "AND source_hash = ? ORDER BY id LIMIT 1");
  if (!st) return st.error();
  st->bind(1, collection_id);
  bindOptional(*st, 2, document_id);
  st->bind(3, level).bind(4, model).bind(5, source_hash);
  auto all = readAll(*st);
  if (!all) return all.error();
  if (all->empty()) return std::optional<SummaryNode>{};
  return std::optional<SummaryNode>{std::move(all->front())};
}

Status updateSummaryNodePlacement(ingest::Database& db, const SummaryNode& n) {
  auto st = db.prepare(
      "UPDATE summary_nodes SET parent_id = ?, ordinal = ?, children = ?, heading = ?, page_first = ?, "
      "page_last = ?, line_first = ?, line_last = ? WHERE id = ?9 AND (parent_id IS NOT ?1 OR ordinal IS NOT ?2 "
      "OR children IS NOT ?3 OR heading IS NOT ?4 OR page_first IS NOT ?5 OR page_last IS NOT ?6 OR "
      "line_first IS NOT ?7 OR line_last IS NOT ?8)");
  if (!st) return st.error();
  // A rerun over an unchanged library finds every node in place: no row is written then (one write per
  // reused node outside a transaction made a rerun over 60,000 nodes take minutes).
  bindOptional(*st, 1, n.parent_id);
  st->bind(2, n.ordinal).bind(3, childrenJson(n.children)).bind(4, n.heading).bind(5, n.page_first);
  st->bind(6, n.page_last).bind(7, n.line_first).bind(8, n.line_last).bind(9, n.id);
  return st->run();
}

Result<int64_t> deleteSummaryNodesExcept(ingest::Database& db, int64_t collection_id,
                                         std::optional<int64_t> document_id, const std::string& model,
                                         const std::vector<int64_t>& keep) {
  // Detach kept nodes from parents about to go, so the cascade on parent_id cannot take them along.
  // By document (the unary + as in findSummaryNode): the collection index scanned the whole collection
  // for each document.
  auto st = db.prepare("SELECT id FROM summary_nodes WHERE +collection_id = ? AND document_id IS ? AND +model = ?");
  if (!st) return st.error();
  st->bind(1, collection_id);
  bindOptional(*st, 2, document_id);
  st->bind(3, model);
  std::vector<int64_t> doomed;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    const int64_t id = st->columnInt64(0);
    if (std::find(keep.begin(), keep.end(), id) == keep.end()) doomed.push_back(id);
  }
  auto detach = db.prepare("UPDATE summary_nodes SET parent_id = NULL WHERE parent_id = ?");
  auto del = db.prepare("DELETE FROM summary_nodes WHERE id = ?");
  if (!detach) return detach.error();
  if (!del) return del.error();
  for (int64_t id : doomed) {
    detach->bind(1, id);
    FOLIO_TRY(detach->run());
    del->bind(1, id);
    FOLIO_TRY(del->run());
  }
  return static_cast<int64_t>(doomed.size());
}

Result<std::vector<SummaryNode>> documentSummaryNodes(ingest::Database& db, int64_t document_id, const std::string& model) {
  auto st = db.prepare(std::string("SELECT ") + kColumns +
                       " FROM summary_nodes WHERE document_id = ? AND model = ? ORDER BY level, ordinal, id");
  if (!st) return st.error();
  st->bind(1, document_id).bind(2, model);
  return readAll(*st);
}

Result<std::optional<SummaryNode>> collectionSummaryNode(ingest::Database& db, int64_t collection_id, const std::string& model) {
  auto st = db.prepare(std::string("SELECT ") + kColumns +
                       " FROM summary_nodes WHERE collection_id = ? AND document_id IS NULL AND level = ? AND model = ? "
                       "ORDER BY id DESC LIMIT 1");
  if (!st) return st.error();
  st->bind(1, collection_id).bind(2, static_cast<int>(kCollectionLevel)).bind(3, model);
  auto all = readAll(*st);
  if (!all) return all.error();
  if (all->empty()) return std::optional<SummaryNode>{};
  return std::optional<SummaryNode>{std::move(all->front())};
}

Result<std::vector<int64_t>> summaryNodeIds(ingest::Database& db, std::optional<int64_t> document_id) {
  auto st = db.prepare("SELECT id FROM summary_nodes WHERE document_id IS ? ORDER BY id");
  if (!st) return st.error();
  bindOptional(*st, 1, document_id);
  std::vector<int64_t> ids;
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    ids.push_back(st->columnInt64(0));
  }
  return ids;
}

}  // namespace folio::app
