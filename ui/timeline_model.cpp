#include "ui/timeline_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

#include "app/pipeline/evidence.h"

namespace folio::ui {
namespace {

const QColor kMuted(0x70, 0x70, 0x70);

QString qs(const std::string& s) { return QString::fromStdString(s); }

// A sentence may run over lines in its document; a cell shows one.
QString oneLine(const std::string& s) {
  QString t = qs(s);
  t.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
  return t.simplified();
}

QString placeText(const app::TimelinePlace& p) {
  QString s = qs(p.path);
  const QString where = timelineWhereText(p);
  return where.isEmpty() ? s : s + " › " + where;
}

// Every place kept, and how many more were only counted: the Document column's tooltip.
QString placesTip(const app::TimelineEvent& e) {
  QString tip = "<p>" + QObject::tr("Found in %L1 %2:").arg(e.occurrences).arg(e.occurrences == 1 ? "place" : "places") + "</p><ul>";
  for (const auto& p : e.places) tip += "<li>" + placeText(p).toHtmlEscaped() + "</li>";
  tip += "</ul>";
  const int64_t unlisted = e.occurrences - static_cast<int64_t>(e.places.size());
  if (unlisted > 0) tip += "<p>" + QObject::tr("and %L1 more, not listed").arg(unlisted) + "</p>";
  return tip + "<p><i>" + QObject::tr("Double-click to open the first in the reader.") + "</i></p>";
}

}  // namespace

QString timelineDateText(const app::TimelineEvent& e) { return qs(e.date) + (e.time.empty() ? "" : " " + qs(e.time)); }

QString timelineEventText(const app::TimelineEvent& e) {
  if (!e.message) return oneLine(e.text);
  const QString subject = e.text.empty() ? QObject::tr("(no subject)") : oneLine(e.text);
  return e.from.empty() ? subject : subject + " — " + QObject::tr("From: %1").arg(oneLine(e.from));
}

QString timelineWhereText(const app::TimelinePlace& p) {
  const QString span = qs(app::describeSpan(p.page_first, p.page_last, p.line_first, p.line_last));
  const QString heading = oneLine(p.heading);
  if (heading.isEmpty() || span.isEmpty()) return heading + span;
  return heading + " · " + span;
}

QString timelineHighlightText(const app::TimelineEvent& e) {
  QString t = qs(e.text);
  if (t.startsWith(QString::fromUtf8("… "))) t.remove(0, 2);
  if (t.endsWith(QString::fromUtf8(" …"))) t.chop(2);
  return t;
}

TimelineModel::TimelineModel(QObject* parent) : QAbstractTableModel(parent) {}

void TimelineModel::setTimeline(std::shared_ptr<const app::Timeline> timeline) {
  beginResetModel();
  timeline_ = std::move(timeline);
  endResetModel();
}

const app::TimelineEvent* TimelineModel::eventAt(int row) const {
  if (!timeline_ || row < 0 || row >= static_cast<int>(timeline_->events.size())) return nullptr;
  return &timeline_->events[static_cast<size_t>(row)];
}

int TimelineModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !timeline_ ? 0 : static_cast<int>(timeline_->events.size());
}

int TimelineModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TimelineModel::data(const QModelIndex& index, int role) const {
  const app::TimelineEvent* e = index.isValid() ? eventAt(index.row()) : nullptr;
  if (!e) return {};
  const app::TimelinePlace* first = e->places.empty() ? nullptr : &e->places.front();
  switch (index.column()) {
    case DateColumn:
      if (role == Qt::DisplayRole) return timelineDateText(*e);
      if (role == Qt::ToolTipRole && e->precision == app::DatePrecision::Month)
        return tr("A month: the text names no day");
      if (role == Qt::ForegroundRole && e->precision == app::DatePrecision::Month) return QBrush(kMuted);
      return {};
    case EventColumn:
      if (role == Qt::DisplayRole) return timelineEventText(*e);
      if (role == Qt::ToolTipRole) {
        // Rich text, so that a long sentence wraps in the tooltip.
        const QString what = e->message ? tr("E-mail message") : tr("Mentioned in the text");
        return "<p><b>" + what + "</b></p><p>" + timelineEventText(*e).toHtmlEscaped() + "</p>";
      }
      if (role == Qt::FontRole && e->message) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    case DocumentColumn:
      if (!first) return {};
      if (role == Qt::DisplayRole) {
        const QString path = qs(first->path);
        if (e->occurrences <= 1) return path;
        return tr("%1  (+%L2 more %3)").arg(path).arg(e->occurrences - 1).arg(e->occurrences == 2 ? "place" : "places");
      }
      if (role == Qt::ToolTipRole) return placesTip(*e);
      return {};
    case WhereColumn:
      if (!first) return {};
      if (role == Qt::DisplayRole || role == Qt::ToolTipRole) return timelineWhereText(*first);
      return {};
    default:
      return {};
  }
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
  switch (section) {
    case DateColumn: return tr("Date");
    case EventColumn: return tr("Event");
    case DocumentColumn: return tr("Document");
    case WhereColumn: return tr("Where");
    default: return {};
  }
}

}  // namespace folio::ui
