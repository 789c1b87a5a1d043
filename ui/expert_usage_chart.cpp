#include "ui/expert_usage_chart.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace folio::ui {
namespace {
constexpr int kLeft = 34, kRight = 8, kTop = 6, kBottom = 16;
}

ExpertUsageChart::ExpertUsageChart(QWidget* parent) : QWidget(parent) {
  setObjectName("expertUsageChart");
  setMinimumHeight(70);
}

void ExpertUsageChart::setRouting(const engine::RoutingAggregate& r) {
  totals_.assign(static_cast<size_t>(std::max(0, r.num_experts)), 0);
  sum_ = 0;
  for (int l = 0; l < r.num_layers; ++l)
    for (int e = 0; e < r.num_experts; ++e) {
      const size_t i = static_cast<size_t>(l) * static_cast<size_t>(r.num_experts) + static_cast<size_t>(e);
      if (i < r.counts.size()) {
        totals_[static_cast<size_t>(e)] += r.counts[i];
        sum_ += r.counts[i];
      }
    }
  update();
}

double ExpertUsageChart::share(int expert) const {
  if (expert < 0 || static_cast<size_t>(expert) >= totals_.size() || sum_ == 0) return 0;
  return static_cast<double>(totals_[static_cast<size_t>(expert)]) / static_cast<double>(sum_);
}

QRect ExpertUsageChart::barRect(int expert) const {
  const int n = static_cast<int>(totals_.size());
  if (n == 0) return {};
  const int w = std::max(1, width() - kLeft - kRight), h = std::max(1, height() - kTop - kBottom);
  double mx = 0;
  for (int e = 0; e < n; ++e) mx = std::max(mx, share(e));
  const int x0 = kLeft + w * expert / n, x1 = kLeft + w * (expert + 1) / n;
  const int bh = mx > 0 ? static_cast<int>(h * share(expert) / mx + 0.5) : 0;
  return QRect(x0 + 1, kTop + h - bh, std::max(1, x1 - x0 - 2), bh);
}

QString ExpertUsageChart::toolTipAt(const QPoint& pos) const {
  const int n = static_cast<int>(totals_.size());
  const int w = std::max(1, width() - kLeft - kRight);
  if (n == 0 || pos.x() < kLeft || pos.x() >= kLeft + w) return {};
  const int e = std::clamp((pos.x() - kLeft) * n / w, 0, n - 1);
  return tr("Expert %1: %2 routing decisions (%3% of all)")
      .arg(e)
      .arg(totals_[static_cast<size_t>(e)])
      .arg(share(e) * 100, 0, 'f', 2);
}

bool ExpertUsageChart::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString t = toolTipAt(help->pos());
    if (t.isEmpty()) QToolTip::hideText(); else QToolTip::showText(help->globalPos(), t, this);
    return true;
  }
  return QWidget::event(event);
}

void ExpertUsageChart::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().color(QPalette::Window));
  const int n = static_cast<int>(totals_.size());
  p.setPen(palette().color(QPalette::WindowText));
  QFont f = font();
  f.setPointSizeF(std::max(6.0, f.pointSizeF() - 2));
  p.setFont(f);
  if (n == 0 || sum_ == 0) {
    p.drawText(rect(), Qt::AlignCenter, tr("Per-expert usage appears when a model answers."));
    return;
  }
  double mx = 0;
  for (int e = 0; e < n; ++e) mx = std::max(mx, share(e));
  p.drawText(QRect(0, kTop - 4, kLeft - 4, 14), Qt::AlignRight, QString("%1%").arg(mx * 100, 0, 'f', 0));
  p.drawText(QRect(0, height() - kBottom - 10, kLeft - 4, 14), Qt::AlignRight, "0%");
  for (int e = 0; e < n; ++e) p.fillRect(barRect(e), palette().color(QPalette::Highlight));
  const int every = std::max(1, n / 8);
  for (int e = 0; e < n; e += every) {
    const QRect b = barRect(e);
    p.drawText(QRect(b.left() - 10, height() - kBottom, b.width() + 20, kBottom), Qt::AlignCenter, QString::number(e));
  }
}

}  // namespace folio::ui
