#include "ui/library_model.h"

#include <QColor>
#include <algorithm>
#include <string_view>

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

// What the Name column shows, and what the filter looks in.
const std::string& displayName(const ingest::DocumentRecord& d) { return d.rel_path.empty() ? d.path : d.rel_path; }

// Whether `text` holds every one of `words` (lower-case), ASCII letters compared in either case: a byte
// comparison, so 100,000 names are filtered in milliseconds without converting each to a QString.
bool containsAllWords(const std::string& text, const std::vector<std::string>& words) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (const std::string& w : words) {
    const auto hit = std::search(text.begin(), text.end(), w.begin(), w.end(),
                                 [&](char a, char b) { return lower(a) == b; });
    if (hit == text.end()) return false;
  }
  return true;
}

}  // namespace

QString statusWithReason(const ingest::DocumentRecord& d) {
  return d.error.empty() ? statusText(d) : QString("%1: %2").arg(statusText(d), QString::fromStdString(d.error));
}

LibraryModel::LibraryModel(QObject* parent) : QAbstractItemModel(parent) {}

void LibraryModel::setDocuments(const DocumentList& documents) {
  setDocuments(std::make_shared<const DocumentList>(documents));
}

void LibraryModel::setDocuments(DocumentListPtr documents) {
  beginResetModel();
  documents_ = std::move(documents);
  collections_.clear();
  std::unordered_map<std::string_view, size_t> at;  // views into *documents_, which outlives the map
  for (size_t i = 0; i < documents_->size(); ++i) {
    const std::string& name = (*documents_)[i].collection;
    auto it = at.find(name);
    if (it == at.end()) {
      it = at.emplace(name, collections_.size()).first;
      collections_.push_back({QString::fromStdString(name), {}, {}});
    }
    collections_[it->second].all.push_back(static_cast<uint32_t>(i));
  }
  applyFilter();
  endResetModel();
}

void LibraryModel::setFilter(const QString& filter) {
  if (filter == filter_) return;
  beginResetModel();
  filter_ = filter;
  words_.clear();
  for (const QString& w : filter.toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts)) words_.push_back(w.toStdString());
  applyFilter();
  endResetModel();
}

void LibraryModel::applyFilter() {
  shown_.clear();
  shown_at_.clear();
  for (size_t c = 0; c < collections_.size(); ++c) {
    Collection& col = collections_[c];
    col.shown.clear();
    for (uint32_t i : col.all)
      if (containsAllWords(displayName((*documents_)[i]), words_)) col.shown.push_back(i);
    if (col.shown.empty() && !words_.empty()) continue;
    const int row = static_cast<int>(shown_.size());
    shown_.push_back(static_cast<uint32_t>(c));
    for (size_t r = 0; r < col.shown.size(); ++r) shown_at_[(*documents_)[col.shown[r]].id] = {row, static_cast<int>(r)};
  }
}

const LibraryModel::Collection* LibraryModel::shownCollection(size_t row) const {
  return row < shown_.size() ? &collections_[shown_[row]] : nullptr;
}

int LibraryModel::documentCount() const { return static_cast<int>(documents_->size()); }

int LibraryModel::shownDocumentCount() const { return static_cast<int>(shown_at_.size()); }

QStringList LibraryModel::collections() const {
  QStringList names;
  for (const auto& c : collections_) names << c.name;
  return names;
}

QModelIndex LibraryModel::indexOfDocument(qint64 id) const {
  const auto it = shown_at_.find(id);
  if (it == shown_at_.end()) return {};
  return createIndex(it->second.second, 0, quintptr(it->second.first + 1));
}

QModelIndex LibraryModel::indexOfCollection(const QString& name) const {
  for (size_t r = 0; r < shown_.size(); ++r)
    if (collections_[shown_[r]].name == name) return createIndex(static_cast<int>(r), 0, kCollectionId);
  return {};
}

const ingest::DocumentRecord* LibraryModel::document(const QModelIndex& index) const {
  if (!index.isValid() || index.internalId() == kCollectionId) return nullptr;
  const Collection* c = shownCollection(index.internalId() - 1);
  if (!c || index.row() < 0 || static_cast<size_t>(index.row()) >= c->shown.size()) return nullptr;
  return &(*documents_)[c->shown[static_cast<size_t>(index.row())]];
}

QModelIndex LibraryModel::index(int row, int column, const QModelIndex& parent) const {
  if (row < 0 || column < 0 || column >= ColumnCount) return {};
  if (!parent.isValid()) {
    if (static_cast<size_t>(row) >= shown_.size()) return {};
    return createIndex(row, column, kCollectionId);
  }
  if (parent.internalId() != kCollectionId || parent.column() != 0) return {};
  const Collection* c = shownCollection(static_cast<size_t>(parent.row()));
  if (!c || static_cast<size_t>(row) >= c->shown.size()) return {};
  return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex LibraryModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == kCollectionId) return {};
  return createIndex(static_cast<int>(child.internalId() - 1), 0, kCollectionId);
}

int LibraryModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return static_cast<int>(shown_.size());
  if (parent.internalId() != kCollectionId || parent.column() != 0) return 0;
  const Collection* c = shownCollection(static_cast<size_t>(parent.row()));
  return c ? static_cast<int>(c->shown.size()) : 0;
}

int LibraryModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant LibraryModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  if (index.internalId() == kCollectionId) {
    const Collection* c = shownCollection(static_cast<size_t>(index.row()));
    if (!c) return {};
    if (role == CollectionRole) return c->name;
    if (role == DocumentIdRole) return qint64{0};
    if (role == Qt::DisplayRole) {
      if (index.column() == NameColumn) return c->name;
      if (index.column() == SizeColumn) {
        const auto all = static_cast<qint64>(c->all.size());
        if (c->shown.size() == c->all.size()) return count(all, tr("document"), tr("documents"));
        return tr("%L1 of %2").arg(c->shown.size()).arg(count(all, tr("document"), tr("documents")));
      }
    }
    return {};
  }
  const ingest::DocumentRecord* d = document(index);
  if (!d) return {};
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case NameColumn: return QString::fromStdString(displayName(*d));
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
