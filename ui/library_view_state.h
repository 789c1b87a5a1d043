// What the user has chosen in the library view — the selected rows, the current row, the collapsed
// collections and the row at the top of the view — kept across a reset of the model (the listing after
// every ingest or removal, a new filter): saved before it, by document id and collection name, and
// chosen again after it. Linear in the rows: with 100,000 documents selected, QItemSelectionModel::
// selectedRows() and a selection of one range per row each took minutes.
#pragma once

#include <QSet>
#include <QString>
#include <unordered_set>

class QTreeView;

namespace folio::ui {

class LibraryModel;

class LibraryViewState {
 public:
  void save(const QTreeView& view, const LibraryModel& model);
  // Rows that are no longer shown are left out; collections seen for the first time are expanded.
  void restore(QTreeView& view, const LibraryModel& model) const;

  // The selected documents by id, and the selected collection rows by name, as save() found them.
  const std::unordered_set<qint64>& documents() const { return documents_; }
  const QSet<QString>& collections() const { return collections_; }

 private:
  std::unordered_set<qint64> documents_;
  QSet<QString> collections_;
  QSet<QString> collapsed_;
  qint64 current_document_ = 0, top_document_ = 0;
  QString current_collection_, top_collection_;
};

}  // namespace folio::ui
