#include "ui/library_model.h"

#include <QColor>
#include <map>

namespace folio::ui {
namespace {

// internalId: 0 for a collection row, collection row + 1 for a document row.
constexpr quintptr kCollectionId = 0;

QString statusText(const ingest::DocumentRecord& d) {
  return QString::fromStdString(std::string(ingest::documentStatusName(d.status)));
}

// "1 page", "12 pages": Qt's %n plurals need a translation installed, without one they read "page(s)".
QString count(qint64 n, const QString& one, const QString& many) {
  return QString("%1 %2").arg(n).arg(n == 1 ? one : many);
}

QString sizeText(const ingest::DocumentRecord& d) {
  if (d.page_count > 0) return count(d.page_count, QObject::tr("page"), QObject::tr("pages"));
  if (d.line_count > 0) return count(d.line_count, QObject::tr("line"), QObject::tr("lines"));
  return {};
}

}  // namespace

QString statusWithReason(const ingest::DocumentRecord& d) {
  return d.error.empty() ? statusText(d) : QString("%1: %2").arg(statusText(d), QString::fromStdString(d.error));
}

LibraryModel::LibraryModel(QObject* parent) : QAbstractItemModel(parent) {}

void LibraryModel::setDocuments(const DocumentList& documents) {
  beginResetModel();
  collections_.clear();
  std::map<std::string, size_t> at;
  for (const auto& d : documents) {
    auto it = at.find(d.collection);
    if (it == at.end()) {
      it = at.emplace(d.collection, collections_.size()).first;
      collections_.push_back({QString::fromStdString(d.collection), {}});
    }
    collections_[it->second].documents.push_back(d);
  }
  endResetModel();
}

int LibraryModel::documentCount() const {
  int n = 0;
  for (const auto& c : collections_) n += static_cast<int>(c.documents.size());
  return n;
}

QStringList LibraryModel::collections() const {
  QStringList names;
  for (const auto& c : collections_) names << c.name;
  return names;
}

QModelIndex LibraryModel::indexOfDocument(qint64 id) const {
  for (size_t c = 0; c < collections_.size(); ++c)
    for (size_t r = 0; r < collections_[c].documents.size(); ++r)
      if (collections_[c].documents[r].id == id) return createIndex(static_cast<int>(r), 0, quintptr(c + 1));
  return {};
}

const ingest::DocumentRecord* LibraryModel::document(const QModelIndex& index) const {
  if (!index.isValid() || index.internalId() == kCollectionId) return nullptr;
  const size_t c = index.internalId() - 1;
  if (c >= collections_.size() || index.row() < 0 || static_cast<size_t>(index.row()) >= collections_[c].documents.size())
    return nullptr;
  return &collections_[c].documents[static_cast<size_t>(index.row())];
}

QModelIndex LibraryModel::index(int row, int column, const QModelIndex& parent) const {
  if (row < 0 || column < 0 || column >= ColumnCount) return {};
  if (!parent.isValid()) {
    if (static_cast<size_t>(row) >= collections_.size()) return {};
    return createIndex(row, column, kCollectionId);
  }
  if (parent.internalId() != kCollectionId || parent.column() != 0) return {};
  const size_t c = static_cast<size_t>(parent.row());
  if (c >= collections_.size() || static_cast<size_t>(row) >= collections_[c].documents.size()) return {};
  return createIndex(row, column, quintptr(c + 1));
}

QModelIndex LibraryModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == kCollectionId) return {};
  return createIndex(static_cast<int>(child.internalId() - 1), 0, kCollectionId);
}

int LibraryModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return static_cast<int>(collections_.size());
  if (parent.internalId() != kCollectionId || parent.column() != 0) return 0;
  return static_cast<int>(collections_[static_cast<size_t>(parent.row())].documents.size());
}

int LibraryModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant LibraryModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  if (index.internalId() == kCollectionId) {
    const auto& c = collections_[static_cast<size_t>(index.row())];
    if (role == CollectionRole) return c.name;
    if (role == DocumentIdRole) return qint64{0};
    if (role == Qt::DisplayRole) {
      if (index.column() == NameColumn) return c.name;
      if (index.column() == SizeColumn)
        return count(static_cast<qint64>(c.documents.size()), tr("document"), tr("documents"));
    }
    return {};
  }
  const ingest::DocumentRecord* d = document(index);
  if (!d) return {};
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case NameColumn: return QString::fromStdString(d->rel_path.empty() ? d->path : d->rel_path);
        case KindColumn: return QString::fromStdString(d->kind);
        case SizeColumn: return sizeText(*d);
        case StatusColumn: return statusText(*d);
        default: return {};
      }
    case Qt::ToolTipRole:
      if (!d->error.empty()) return statusWithReason(*d);
      return QString::fromStdString(d->path);
    case Qt::ForegroundRole:
      if (index.column() == StatusColumn && d->status == ingest::DocumentStatus::Failed) return QColor(Qt::red);
      return {};
    case DocumentIdRole: return qint64{d->id};
    case PathRole: return QString::fromStdString(d->path);
    case KindRole: return QString::fromStdString(d->kind);
    case CollectionRole: return QString::fromStdString(d->collection);
    case StatusRole: return statusText(*d);
    default: return {};
  }
}

QVariant LibraryModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn: return tr("Name");
    case KindColumn: return tr("Kind");
    case SizeColumn: return tr("Pages / lines");
    case StatusColumn: return tr("Status");
    default: return {};
  }
}

Qt::ItemFlags LibraryModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::ItemIsDropEnabled;
  return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
}

}  // namespace folio::ui
