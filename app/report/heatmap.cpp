#include "app/report/heatmap.h"

#include <QBuffer>
#include <QFont>
#include <QPainter>
#include <algorithm>

namespace folio::app {
namespace {

QColor ramp(double t) {  // 0 -> near white, 1 -> deep blue
  t = std::clamp(t, 0.0, 1.0);
  return QColor::fromRgbF(static_cast<float>(1.0 - 0.85 * t), static_cast<float>(1.0 - 0.65 * t),
                          static_cast<float>(1.0 - 0.25 * t));
}

}  // namespace

QImage renderRoutingHeatmap(const engine::RoutingAggregate& r) {
  if (r.num_layers <= 0 || r.num_experts <= 0) return {};
  const int cell_w = std::clamp(480 / r.num_experts, 8, 40), cell_h = std::clamp(320 / r.num_layers, 6, 28);
  const int left = 64, top = 36, legend_h = 56;
  const int grid_w = cell_w * r.num_experts, grid_h = cell_h * r.num_layers;
  QImage img(left + grid_w + 24, top + grid_h + legend_h, QImage::Format_ARGB32);
  img.fill(Qt::white);
  QPainter p(&img);
  p.setRenderHint(QPainter::TextAntialiasing);
  QFont font = p.font();
  font.setPixelSize(11);
  p.setFont(font);
  const int64_t max = std::max<int64_t>(1, *std::max_element(r.counts.begin(), r.counts.end()));
  for (int l = 0; l < r.num_layers; ++l)
    for (int e = 0; e < r.num_experts; ++e) {
      const double t = static_cast<double>(r.counts[static_cast<size_t>(l * r.num_experts + e)]) / static_cast<double>(max);
      p.fillRect(left + e * cell_w, top + l * cell_h, cell_w, cell_h, ramp(t));
    }
  p.setPen(QColor(120, 120, 120));
  p.drawRect(left, top, grid_w, grid_h);
  p.setPen(Qt::black);
  p.drawText(QRect(0, 4, img.width(), 18), Qt::AlignHCenter, "Expert routing: tokens per layer × expert");
  p.drawText(QRect(left, top - 16, grid_w, 14), Qt::AlignLeft, "expert 0");
  p.drawText(QRect(left, top - 16, grid_w, 14), Qt::AlignRight, "expert " + QString::number(r.num_experts - 1));
  const int label_every = std::max(1, 12 / cell_h);
  for (int l = 0; l < r.num_layers; l += label_every)
    p.drawText(QRect(0, top + l * cell_h, left - 6, std::max(cell_h, 12)), Qt::AlignRight | Qt::AlignVCenter,
               "layer " + QString::number(l));
  // Legend: the colour ramp from 0 to the largest count.
  const int ly = top + grid_h + 14, lw = std::min(grid_w, 240);
  for (int x = 0; x < lw; ++x) p.fillRect(left + x, ly, 1, 12, ramp(static_cast<double>(x) / (lw - 1)));
  p.setPen(QColor(120, 120, 120));
  p.drawRect(left, ly, lw, 12);
  p.setPen(Qt::black);
  p.drawText(QRect(left, ly + 14, lw, 14), Qt::AlignLeft, "0 tokens");
  p.drawText(QRect(left, ly + 14, lw, 14), Qt::AlignRight, QString::number(max) + " tokens");
  p.end();
  return img;
}

QByteArray pngBytes(const QImage& image) {
  QByteArray bytes;
  QBuffer buf(&bytes);
  buf.open(QIODevice::WriteOnly);
  image.save(&buf, "PNG");
  return bytes;
}

}  // namespace folio::app
