#include "ui/review_table_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <algorithm>
#include <functional>
#include <numeric>

#include "app/pipeline/review_format.h"

namespace folio::ui {
namespace {

// A cell shows one line; past this the view elides anyway and the tooltip holds it all.
constexpr qsizetype kShownChars = 300;
const QColor kMuted(0x80, 0x80, 0x80);

QString oneLine(const std::string& s) {
  QString t = QString::fromStdString(s);
  t.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
  return t.size() > kShownChars ? t.left(kShownChars) + QChar(0x2026) : t;
}

QString pathOf(const app::ReviewDocument& d) { return QString::fromStdString(d.rel_path.empty() ? d.path : d.rel_path); }

}  // namespace

ReviewTableModel::ReviewTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ReviewTableModel::setTable(std::shared_ptr<const app::ReviewTable> table) {
  beginResetModel();
  table_ = std::move(table);
  order_.resize(table_ ? table_->rows.size() : 0);
  std::iota(order_.begin(), order_.end(), 0);
  endResetModel();
}

const app::ReviewRow* ReviewTableModel::rowAt(int row) const {
  if (!table_ || row < 0 || row >= static_cast<int>(order_.size())) return nullptr;
  return &table_->rows[order_[row]];
}

const app::ReviewCell* ReviewTableModel::cellAt(const QModelIndex& index) const {
  const app::ReviewRow* r = index.isValid() ? rowAt(index.row()) : nullptr;
  const int q = index.column() - 1;
  if (!r || q < 0 || q >= static_cast<int>(r->cells.size())) return nullptr;
  return &r->cells[q];
}

int ReviewTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(order_.size());
}

int ReviewTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() || !table_ ? 0 : 1 + static_cast<int>(table_->questions.size());
}

QVariant ReviewTableModel::data(const QModelIndex& index, int role) const {
  const app::ReviewRow* r = index.isValid() ? rowAt(index.row()) : nullptr;
  if (!r) return {};
  if (index.column() == 0) {
    if (role == Qt::DisplayRole) return pathOf(r->document);
    if (role == Qt::ToolTipRole)
      return tr("%1 — document %2 · %3 · %4 of %5 questions found")
          .arg(pathOf(r->document))
          .arg(r->document.id)
          .arg(QString::fromStdString(r->document.kind))
          .arg(r->found())
          .arg(r->cells.size());
    return {};
  }
  const app::ReviewCell* c = cellAt(index);
  if (!c) return {};
  switch (role) {
    case Qt::DisplayRole:
      return oneLine(app::reviewCellText(*c));
    case Qt::ToolTipRole: {
      // Rich text, so that a long clause wraps in the tooltip.
      QString tip = "<p>" + QString::fromStdString(app::reviewCellText(*c)).toHtmlEscaped() + "</p>";
      if (c->passage)
        tip += "<p><i>" + QString::fromStdString(app::reviewCellWhere(*c->passage)).toHtmlEscaped() + "</i> — " +
               tr("double-click to open it in the reader") + "</p>";
      return tip;
    }
    case Qt::ForegroundRole:
      return c->passage ? QVariant() : QVariant(QBrush(kMuted));
    case Qt::FontRole: {
      if (c->passage) return {};
      QFont f;
      f.setItalic(true);
      return f;
    }
    default:
      return {};
  }
}

QVariant ReviewTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || !table_ || section < 0 || section > static_cast<int>(table_->questions.size()))
    return QAbstractTableModel::headerData(section, orientation, role);
  if (section == 0) {
    if (role == Qt::DisplayRole) return tr("Document");
    return {};
  }
  const QString q = QString::fromStdString(table_->questions[section - 1]);
  if (role == Qt::DisplayRole) return q;
  if (role == Qt::ToolTipRole) {
    const size_t k = static_cast<size_t>(section - 1);
    const int64_t found = k < table_->found.size() ? table_->found[k] : 0;
    return tr("%1: found in %2 of %3 documents").arg(q).arg(found).arg(table_->documents_in_scope);
  }
  return {};
}

void ReviewTableModel::sort(int column, Qt::SortOrder order) {
  if (!table_ || column < 0 || column >= columnCount()) return;
  Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
  const QModelIndexList before = persistentIndexList();
  std::vector<int> rows_before;
  for (const QModelIndex& i : before) rows_before.push_back(order_[i.row()]);
  const auto& rows = table_->rows;
  const auto path_less = [&rows](int a, int b) { return rows[a].document.rel_path < rows[b].document.rel_path; };
  std::function<bool(int, int)> less = path_less;
  if (column > 0) {
    const size_t q = static_cast<size_t>(column - 1);
    less = [&rows, q, path_less](int a, int b) {
      const app::ReviewCell& x = rows[a].cells[q];
      const app::ReviewCell& y = rows[b].cells[q];
      if (x.passage.has_value() != y.passage.has_value()) return x.passage.has_value();
      if (x.text != y.text) return x.text < y.text;
      return path_less(a, b);
    };
  }
  std::stable_sort(order_.begin(), order_.end(),
                   [&](int a, int b) { return order == Qt::AscendingOrder ? less(a, b) : less(b, a); });
  std::vector<int> row_of(order_.size());
  for (size_t i = 0; i < order_.size(); ++i) row_of[order_[i]] = static_cast<int>(i);
  QModelIndexList after;
  for (qsizetype k = 0; k < before.size(); ++k) after.push_back(index(row_of[rows_before[k]], before[k].column()));
  changePersistentIndexList(before, after);
  Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

}  // namespace folio::ui
