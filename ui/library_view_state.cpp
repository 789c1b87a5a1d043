#include "ui/library_view_state.h"

#include <QItemSelectionModel>
#include <QTreeView>

#include "ui/library_model.h"

namespace folio::ui {
namespace {

// A row by what it shows: its document's id, or 0 and its collection's name.
void identify(const LibraryModel& model, const QModelIndex& index, qint64* document, QString* collection) {
  *document = 0;
  collection->clear();
  if (!index.isValid()) return;
  if (const ingest::DocumentRecord* d = model.document(index.siblingAtColumn(0))) {
    *document = d->id;
  } else {
    *collection = index.siblingAtColumn(0).data(LibraryModel::CollectionRole).toString();
  }
}

QModelIndex find(const LibraryModel& model, qint64 document, const QString& collection) {
  return document > 0 ? model.indexOfDocument(document) : model.indexOfCollection(collection);
}

// Adds rows [first, last] under `parent`, every column, to `selection` as one range.
void addRun(QItemSelection& selection, const LibraryModel& model, const QModelIndex& parent, int first, int last) {
  selection.append(QItemSelectionRange(model.index(first, 0, parent), model.index(last, LibraryModel::ColumnCount - 1, parent)));
}

}  // namespace

void LibraryViewState::save(const QTreeView& view, const LibraryModel& model) {
  documents_.clear();
  collections_.clear();
  collapsed_.clear();
  // The ranges themselves, not selectedRows(): that tests every row against every range.
  for (const QItemSelectionRange& range : view.selectionModel()->selection()) {
    for (int row = range.top(); row <= range.bottom(); ++row) {
      const QModelIndex i = model.index(row, 0, range.parent());
      qint64 id = 0;
      QString name;
      identify(model, i, &id, &name);
      if (id > 0) documents_.insert(id);
      else if (!name.isEmpty()) collections_.insert(name);
    }
  }
  for (int r = 0; r < model.rowCount(); ++r) {
    const QModelIndex c = model.index(r, 0);
    if (!view.isExpanded(c)) collapsed_.insert(c.data(LibraryModel::CollectionRole).toString());
  }
  identify(model, view.selectionModel()->currentIndex(), &current_document_, &current_collection_);
  identify(model, view.indexAt(QPoint(1, 1)), &top_document_, &top_collection_);
}

void LibraryViewState::restore(QTreeView& view, const LibraryModel& model) const {
  QItemSelection selection;
  for (int r = 0; r < model.rowCount(); ++r) {
    const QModelIndex c = model.index(r, 0);
    const QString name = c.data(LibraryModel::CollectionRole).toString();
    view.setExpanded(c, !collapsed_.contains(name));
    if (collections_.contains(name)) addRun(selection, model, {}, r, r);
    if (documents_.empty()) continue;
    // consecutive selected documents make one range
    const int rows = model.rowCount(c);
    for (int first = 0; first < rows;) {
      const auto selected = [&](int row) {
        const ingest::DocumentRecord* d = model.document(model.index(row, 0, c));
        return d && documents_.count(d->id) > 0;
      };
      if (!selected(first)) {
        ++first;
        continue;
      }
      int last = first;
      while (last + 1 < rows && selected(last + 1)) ++last;
      addRun(selection, model, c, first, last);
      first = last + 1;
    }
  }
  QItemSelectionModel* selections = view.selectionModel();
  selections->select(selection, QItemSelectionModel::ClearAndSelect);
  const QModelIndex current = find(model, current_document_, current_collection_);
  // the current row comes back without scrolling to it: the view goes back to where it was instead
  const bool auto_scroll = view.hasAutoScroll();
  view.setAutoScroll(false);
  if (current.isValid()) selections->setCurrentIndex(current, QItemSelectionModel::NoUpdate);
  view.setAutoScroll(auto_scroll);
  const QModelIndex top = find(model, top_document_, top_collection_);
  if (top.isValid()) view.scrollTo(top, QAbstractItemView::PositionAtTop);
}

}  // namespace folio::ui
