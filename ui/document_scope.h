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

}  // namespace folio::ui
