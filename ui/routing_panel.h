// The routing view beside an answer: the layers × experts heatmap with a token/weight toggle, the
// per-expert usage chart and a note on expert evaluations skipped by the τ threshold.
#pragma once

#include <QWidget>

#include "engine/model/routing.h"

class QLabel;
class QRadioButton;

namespace folio::ui {

class RoutingHeatmap;
class ExpertUsageChart;

class RoutingPanel : public QWidget {
  Q_OBJECT

 public:
  explicit RoutingPanel(QWidget* parent = nullptr);

  void setRouting(const engine::RoutingAggregate& routing);
  RoutingHeatmap* heatmap() const { return heatmap_; }
  ExpertUsageChart* usageChart() const { return chart_; }
  QLabel* note() const { return note_; }
  QRadioButton* weightToggle() const { return by_weight_; }

 private:
  RoutingHeatmap* heatmap_;
  ExpertUsageChart* chart_;
  QLabel* note_;
  QRadioButton* by_tokens_;
  QRadioButton* by_weight_;
};

}  // namespace folio::ui
