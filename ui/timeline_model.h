// The events of a timeline (app/pipeline/timeline.h) for a QTableView, a row per event in the timeline's
// own order (by date, then time): Date, Event (a message's subject with its sender), Document (the first
// place the event was found, "+N more places" when it was found in others; all in the tooltip) and Where
// (the place's heading, page and lines). The timeline is shared, never copied: 40,000 events are a model
// reset, and each cell's text is made only when the view asks for it.
#pragma once

#include <QAbstractTableModel>
#include <memory>

#include "app/pipeline/timeline.h"

namespace folio::ui {

class TimelineModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { DateColumn, EventColumn, DocumentColumn, WhereColumn, ColumnCount };

  explicit TimelineModel(QObject* parent = nullptr);

  // Shows `timeline` (null: no rows).
  void setTimeline(std::shared_ptr<const app::Timeline> timeline);
  const app::Timeline* timeline() const { return timeline_.get(); }
  // The event of a row, null outside the table.
  const app::TimelineEvent* eventAt(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const app::Timeline> timeline_;
};

// The cells' texts, also what the window shows and hands the reader.
// "2024-03-05", "2024-03-05 14:30 +0000", "2024-03" (a month).
QString timelineDateText(const app::TimelineEvent& e);
// A mention's sentence on one line; a message's "Subject — From: sender".
QString timelineEventText(const app::TimelineEvent& e);
// "8. Term › 8.1 · page 4, line 12": the place's heading and span ("" when neither is known).
QString timelineWhereText(const app::TimelinePlace& p);
// The sentence without the "… " / " …" that mark where it was shortened: what the reader highlights.
QString timelineHighlightText(const app::TimelineEvent& e);

}  // namespace folio::ui
