#include "ui/routing_heatmap.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace folio::ui {
namespace {

constexpr int kLeft = 34, kTop = 18, kRight = 8, kLegend = 34;
const QColor kHot(200, 40, 30);

QColor mix(const QColor& a, const QColor& b, double t) {
  t = std::clamp(t, 0.0, 1.0);
  return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                          static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                          static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

}  // namespace

RoutingHeatmap::RoutingHeatmap(QWidget* parent) : QWidget(parent) {
  setObjectName("routingHeatmap");
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void RoutingHeatmap::setRouting(const engine::RoutingAggregate& routing) {
  routing_ = routing;
  updateGeometry();
  update();
}

void RoutingHeatmap::setMeasure(Measure m) {
  measure_ = m;
  update();
}

double RoutingHeatmap::share(int layer, int expert) const {
  if (layer < 0 || expert < 0 || layer >= routing_.num_layers || expert >= routing_.num_experts) return 0;
  const size_t E = static_cast<size_t>(routing_.num_experts);
  const size_t row = static_cast<size_t>(layer) * E;
  double total = 0, v = 0;
  if (measure_ == Measure::TokenShare) {
    if (routing_.counts.size() < row + E) return 0;
    for (size_t e = 0; e < E; ++e) total += static_cast<double>(routing_.counts[row + e]);
    v = static_cast<double>(routing_.counts[row + static_cast<size_t>(expert)]);
  } else {
    if (routing_.weight_sums.size() < row + E) return 0;
    for (size_t e = 0; e < E; ++e) total += routing_.weight_sums[row + e];
    v = routing_.weight_sums[row + static_cast<size_t>(expert)];
  }
  return total > 0 ? v / total : 0;
}

double RoutingHeatmap::maxShare() const {
  double m = 0;
  for (int l = 0; l < routing_.num_layers; ++l)
    for (int e = 0; e < routing_.num_experts; ++e) m = std::max(m, share(l, e));
  return m;
}

QColor RoutingHeatmap::colorFor(double s) const {
  const double m = maxShare();
  return mix(palette().color(QPalette::Base), kHot, m > 0 ? s / m : 0);
}

QRect RoutingHeatmap::gridRect() const {
  return QRect(kLeft, kTop, std::max(1, width() - kLeft - kRight), std::max(1, height() - kTop - kLegend));
}

QRect RoutingHeatmap::cellRect(int layer, int expert) const {
  if (isEmpty()) return {};
  const QRect g = gridRect();
  const int x0 = g.left() + g.width() * expert / routing_.num_experts;
  const int x1 = g.left() + g.width() * (expert + 1) / routing_.num_experts;
  const int y0 = g.top() + g.height() * layer / routing_.num_layers;
  const int y1 = g.top() + g.height() * (layer + 1) / routing_.num_layers;
  return QRect(QPoint(x0, y0), QPoint(x1 - 1, y1 - 1));
}

QString RoutingHeatmap::toolTipAt(const QPoint& pos) const {
  if (isEmpty() || !gridRect().contains(pos)) return {};
  const QRect g = gridRect();
  const int e = std::clamp((pos.x() - g.left()) * routing_.num_experts / g.width(), 0, routing_.num_experts - 1);
  const int l = std::clamp((pos.y() - g.top()) * routing_.num_layers / g.height(), 0, routing_.num_layers - 1);
  const size_t i = static_cast<size_t>(l) * static_cast<size_t>(routing_.num_experts) + static_cast<size_t>(e);
  const qint64 count = i < routing_.counts.size() ? routing_.counts[i] : 0;
  const double weight = i < routing_.weight_sums.size() ? routing_.weight_sums[i] : 0;
  RoutingHeatmap* self = const_cast<RoutingHeatmap*>(this);
  const Measure saved = measure_;
  self->measure_ = Measure::TokenShare;
  const double token_share = share(l, e);
  self->measure_ = Measure::WeightShare;
  const double weight_share = share(l, e);
  self->measure_ = saved;
  return tr("Layer %1, expert %2\n%3 tokens (%4% of the layer)\nrouting weight %5 (%6% of the layer)")
      .arg(l)
      .arg(e)
      .arg(count)
      .arg(token_share * 100, 0, 'f', 2)
      .arg(weight, 0, 'f', 4)
      .arg(weight_share * 100, 0, 'f', 2);
}

QSize RoutingHeatmap::sizeHint() const {
  if (isEmpty()) return {320, 160};
  const int cell = 12;
  return {kLeft + kRight + std::clamp(routing_.num_experts * cell, 160, 640),
          kTop + kLegend + std::clamp(routing_.num_layers * cell, 80, 480)};
}

QSize RoutingHeatmap::minimumSizeHint() const { return {kLeft + kRight + 96, kTop + kLegend + 48}; }

bool RoutingHeatmap::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = toolTipAt(help->pos());
    if (text.isEmpty())
      QToolTip::hideText();
    else
      QToolTip::showText(help->globalPos(), text, this);
    return true;
  }
  return QWidget::event(event);
}

void RoutingHeatmap::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().color(QPalette::Window));
  const QColor text = palette().color(QPalette::WindowText);
  if (isEmpty()) {
    p.setPen(text);
    p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("No routing yet: the heatmap fills when a model answers."));
    return;
  }
  const int L = routing_.num_layers, E = routing_.num_experts;
  for (int l = 0; l < L; ++l)
    for (int e = 0; e < E; ++e) p.fillRect(cellRect(l, e), colorFor(share(l, e)));
  p.setPen(palette().color(QPalette::Mid));
  p.drawRect(gridRect().adjusted(0, 0, -1, -1));

  // Axis labels: every k-th layer and expert so labels do not collide.
  p.setPen(text);
  QFont f = font();
  f.setPointSizeF(std::max(6.0, f.pointSizeF() - 2));
  p.setFont(f);
  const QFontMetrics fm(f);
  const int every_l = std::max(1, (fm.height() + 2) * L / std::max(1, gridRect().height()) + 1);
  for (int l = 0; l < L; l += every_l) {
    const QRect c = cellRect(l, 0);
    p.drawText(QRect(0, c.top(), kLeft - 4, std::max(c.height(), fm.height())), Qt::AlignRight | Qt::AlignVCenter,
               QString::number(l));
  }
  const int every_e = std::max(1, (fm.horizontalAdvance("000") + 2) * E / std::max(1, gridRect().width()) + 1);
  for (int e = 0; e < E; e += every_e) {
    const QRect c = cellRect(0, e);
    p.drawText(QRect(c.left() - 10, 0, c.width() + 20, kTop - 2), Qt::AlignHCenter | Qt::AlignBottom, QString::number(e));
  }
  p.drawText(QRect(0, 0, kLeft - 4, kTop - 2), Qt::AlignRight | Qt::AlignBottom, tr("L\\E"));

  // Legend: a gradient from 0 to the largest share.
  const QRect g = gridRect();
  const QRect bar(g.left(), g.bottom() + 8, std::min(200, g.width()), 10);
  QLinearGradient grad(bar.topLeft(), bar.topRight());
  grad.setColorAt(0, colorFor(0));
  grad.setColorAt(1, colorFor(maxShare()));
  p.fillRect(bar, grad);
  p.setPen(palette().color(QPalette::Mid));
  p.drawRect(bar.adjusted(0, 0, -1, -1));
  p.setPen(text);
  const QString what = measure_ == Measure::TokenShare ? tr("share of tokens") : tr("share of routing weight");
  p.drawText(QRect(bar.right() + 6, bar.top() - 4, width() - bar.right() - 6, fm.height() + 4), Qt::AlignLeft | Qt::AlignVCenter,
             tr("0 … %1% %2").arg(maxShare() * 100, 0, 'f', 1).arg(what));
}

}  // namespace folio::ui
