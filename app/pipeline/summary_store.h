// Summary-tree nodes in the library (summary_nodes, schema v3): level 0 = a section (children: chunk
// ids), 1 = a document (children: section node ids), 2 = a collection (children: document node ids).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "ingest/library/database.h"

namespace folio::app {

enum SummaryLevel : int { kSectionLevel = 0, kDocumentLevel = 1, kCollectionLevel = 2 };
const char* summaryLevelName(int level);  // "section", "document", "collection"

struct SummaryNode {
  int64_t id = 0;
  int64_t collection_id = 0;
  std::optional<int64_t> document_id;  // none for a collection node
  std::optional<int64_t> parent_id;
  int level = kSectionLevel;
  int ordinal = 0;
  std::vector<int64_t> children;
  std::string heading;
  int page_first = 0, page_last = 0, line_first = 0, line_last = 0;
  std::string source_hash;  // hash of the children's text
  std::string model;        // summarizer identity ("extractive" or the model identity)
  // The model as people know it; "" for extractive nodes and nodes stored before schema v8.
  std::string model_name;
  std::string text;
  int token_count = 0;
};

Result<int64_t> insertSummaryNode(ingest::Database& db, const SummaryNode& node);
// A node of `model` with this level, document (or collection node when document is empty) and hash.
Result<std::optional<SummaryNode>> findSummaryNode(ingest::Database& db, int64_t collection_id,
                                                   std::optional<int64_t> document_id, int level,
                                                   const std::string& model, const std::string& source_hash);
// Updates parent, ordinal, children and spans of a reused node (its text and hash stay).
Status updateSummaryNodePlacement(ingest::Database& db, const SummaryNode& node);
// Deletes the nodes of `model` for the document (or the collection-level nodes when document is empty)
// whose ids are not in `keep`. Returns how many went.
Result<int64_t> deleteSummaryNodesExcept(ingest::Database& db, int64_t collection_id,
                                         std::optional<int64_t> document_id, const std::string& model,
                                         const std::vector<int64_t>& keep);
// Every node of `model` for the document (levels 0 and 1), by level then ordinal.
Result<std::vector<SummaryNode>> documentSummaryNodes(ingest::Database& db, int64_t document_id, const std::string& model);
// The collection-level node of `model`, if any.
Result<std::optional<SummaryNode>> collectionSummaryNode(ingest::Database& db, int64_t collection_id, const std::string& model);
// Every node id of the document (any model), for tests and reports.
Result<std::vector<int64_t>> summaryNodeIds(ingest::Database& db, std::optional<int64_t> document_id);

}  // namespace folio::app
