// The grid of a review table (app/pipeline/review_table.h) for a QTableView: a row per document, the
// document's path in the first column and a column per question. A cell shows its text on one line (the
// view elides it), the whole text and where its passage lies in the tooltip; "not found" and "not asked
// (stopped)" are muted. Sorting reorders rows through an index, the table itself stays as it came.
#pragma once

#include <QAbstractTableModel>
#include <memory>
#include <vector>

#include "app/pipeline/review_table.h"

namespace folio::ui {

class ReviewTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  explicit ReviewTableModel(QObject* parent = nullptr);

  // Shows `table` (null: an empty grid), in the table's own row order (by path).
  void setTable(std::shared_ptr<const app::ReviewTable> table);
  const app::ReviewTable* table() const { return table_.get(); }

  // The row's review (after sorting), null past the end.
  const app::ReviewRow* rowAt(int row) const;
  // The cell under `index`, null for the document column or outside the grid.
  const app::ReviewCell* cellAt(const QModelIndex& index) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  // Column 0 by path; a question's column found cells first, then by their text.
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

 private:
  std::shared_ptr<const app::ReviewTable> table_;
  std::vector<int> order_;  // view row → table row
};

}  // namespace folio::ui
