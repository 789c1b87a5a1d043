// The library as an item model: collections at the top level, their documents below. Columns: name,
// kind, pages/lines, status; the failure or skip reason is the tooltip of a document row. Pure data:
// the documents arrive from a worker (LibraryService) and are set with setDocuments().
#pragma once

#include <QAbstractItemModel>
#include <QString>
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

  void setDocuments(const DocumentList& documents);
  int documentCount() const;
  QStringList collections() const;
  // The index of the document with this id (column 0), invalid when absent.
  QModelIndex indexOfDocument(qint64 id) const;
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
    std::vector<ingest::DocumentRecord> documents;
  };
  std::vector<Collection> collections_;
};

// "failed: not a PDF: bad header", "skipped: too large …" (the status alone when no reason is stored).
QString statusWithReason(const ingest::DocumentRecord& d);

}  // namespace folio::ui
