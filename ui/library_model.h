// The library as an item model: collections at the top level, their documents below. Columns: name,
// kind, pages/lines, status; the failure or skip reason is the tooltip of a document row. Pure data:
// the documents arrive from a worker (LibraryService) and are set with setDocuments(). A filter shows
// only the documents whose names hold all of its words (for a 100,000-file repository, where scrolling
// is no way to find one).
#pragma once

#include <QAbstractItemModel>
#include <QString>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "ui/metatypes.h"

namespace folio::ui {

class LibraryModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column { NameColumn, KindColumn, SizeColumn, StatusColumn, ColumnCount };
  enum Role {
    DocumentIdRole = Qt::UserRole + 1,  // qint64; 0 on a collection row
    PathRole,                           // absolute path of a document
    KindRole,                           // "pdf", "code", ...
    CollectionRole,                     // the collection's name (both row kinds)
    StatusRole,                         // "ok", "failed", ...
  };

  explicit LibraryModel(QObject* parent = nullptr);

  // Replaces the listing (a reset; the filter stays). The shared form keeps the list without copying it.
  void setDocuments(const DocumentList& documents);
  void setDocuments(DocumentListPtr documents);
  // Shows only the documents whose name (the relative path shown) holds every word of `filter`, ASCII
  // letters in either case; collections left with none are hidden. "" shows all. A reset.
  void setFilter(const QString& filter);
  QString filter() const { return filter_; }

  int documentCount() const;       // in the library
  int shownDocumentCount() const;  // passing the filter
  QStringList collections() const;  // every collection, shown or not
  // The index of the shown document with this id (column 0), invalid when absent or filtered out.
  QModelIndex indexOfDocument(qint64 id) const;
  // The row of the shown collection with this name, invalid when absent or filtered out.
  QModelIndex indexOfCollection(const QString& name) const;
  const ingest::DocumentRecord* document(const QModelIndex& index) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;

 private:
  struct Collection {
    QString name;
    std::vector<uint32_t> all;    // its documents, as positions in *documents_, in listing order
    std::vector<uint32_t> shown;  // those passing the filter
  };
  // shown, shown_ and shown_at_ for the current filter (no reset of its own)
  void applyFilter();
  const Collection* shownCollection(size_t row) const;

  DocumentListPtr documents_ = std::make_shared<const DocumentList>();
  std::vector<Collection> collections_;  // every collection, in listing order
  std::vector<uint32_t> shown_;          // the top-level rows: positions in collections_
  std::unordered_map<qint64, std::pair<int, int>> shown_at_;  // document id -> (top-level row, row)
  QString filter_;
  std::vector<std::string> words_;  // filter_'s words, lower-case UTF-8
};

// "failed: not a PDF: bad header", "skipped: too large …" (the status alone when no reason is stored).
QString statusWithReason(const ingest::DocumentRecord& d);

}  // namespace folio::ui
