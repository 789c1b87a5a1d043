// The documents a window works over (review, timeline): the selected documents, a collection, or all.
#pragma once

#include <QString>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace folio::ui {

struct DocumentScope {
  std::optional<std::string> collection;
  std::vector<int64_t> document_ids;
  QString description;  // "all documents", "collection “deals”", "3 selected documents"
};

// A file name for what a window exports of the scope: "review", "timeline_deals", "review_3_documents".
inline QString scopeFileStem(const DocumentScope& scope, const QString& prefix) {
  QString stem = prefix;
  if (scope.collection) stem += "_" + QString::fromStdString(*scope.collection);
  else if (!scope.document_ids.empty()) stem += QString("_%1_documents").arg(scope.document_ids.size());
  return stem.replace('/', '_').replace(' ', '_');
}

}  // namespace folio::ui
