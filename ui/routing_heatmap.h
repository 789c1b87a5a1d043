// The routing heatmap: MoE layers (rows) × experts (columns), painted with QPainter. A cell's colour is
// the share of the layer's routing decisions that went to the expert (or, in weight mode, its share of
// the layer's summed routing weight), scaled to the largest share in the grid; a legend maps colours to
// shares and every cell's tooltip gives the exact values.
#pragma once

#include <QColor>
#include <QWidget>

#include "engine/model/routing.h"

namespace folio::ui {

class RoutingHeatmap : public QWidget {
  Q_OBJECT

 public:
  enum class Measure { TokenShare, WeightShare };

  explicit RoutingHeatmap(QWidget* parent = nullptr);

  void setRouting(const engine::RoutingAggregate& routing);
  const engine::RoutingAggregate& routing() const { return routing_; }
  void setMeasure(Measure m);
  Measure measure() const { return measure_; }
  bool isEmpty() const { return routing_.num_layers == 0 || routing_.num_experts == 0; }

  // The value a cell shows: its share of the layer (0..1) under the current measure.
  double share(int layer, int expert) const;
  double maxShare() const;
  // The colour of a share relative to the grid's largest share (0 → palette base, max → full colour).
  QColor colorFor(double share) const;
  QRect cellRect(int layer, int expert) const;
  QString toolTipAt(const QPoint& pos) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  QRect gridRect() const;

  engine::RoutingAggregate routing_;
  Measure measure_ = Measure::TokenShare;
};

}  // namespace folio::ui
