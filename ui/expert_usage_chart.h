// A bar per expert: its share of all routing decisions over every layer (tokens × top-k), painted with
// QPainter; tooltips give the exact count and share.
#pragma once

#include <QWidget>
#include <vector>

#include "engine/model/routing.h"

namespace folio::ui {

class ExpertUsageChart : public QWidget {
  Q_OBJECT

 public:
  explicit ExpertUsageChart(QWidget* parent = nullptr);

  void setRouting(const engine::RoutingAggregate& routing);
  // Tokens routed to each expert summed over layers, and that as a share of the total.
  const std::vector<int64_t>& totals() const { return totals_; }
  double share(int expert) const;
  QRect barRect(int expert) const;
  QString toolTipAt(const QPoint& pos) const;
  QSize sizeHint() const override { return {320, 90}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  std::vector<int64_t> totals_;
  int64_t sum_ = 0;
};

}  // namespace folio::ui
