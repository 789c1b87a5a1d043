// The routing heatmap paints each cell in the colour of its share, the legend and tooltips give the
// exact values, the weight toggle repaints by weight, the expert chart sums layers, and the τ note
// reports skipped evaluations.
#include <QLabel>
#include <QRadioButton>
#include <QtTest>

#include "ui/expert_usage_chart.h"
#include "ui/routing_heatmap.h"
#include "ui/routing_panel.h"

using folio::engine::RoutingAggregate;
using folio::ui::RoutingHeatmap;

namespace {

// 3 layers × 4 experts, top-2 routing of 10 tokens per layer (20 decisions per layer).
RoutingAggregate sample() {
  RoutingAggregate r;
  r.num_layers = 3;
  r.num_experts = 4;
  r.counts = {10, 6, 4, 0,    // layer 0
              5, 5, 5, 5,     // layer 1
              0, 0, 2, 18};   // layer 2
  r.weight_sums = {6.0, 2.0, 2.0, 0.0,
                   2.5, 2.5, 2.5, 2.5,
                   0.0, 0.0, 1.0, 9.0};
  r.experts_evaluated = 50;
  r.experts_skipped = 10;
  return r;
}

bool near(QColor a, QColor b, int tol = 2) {
  return std::abs(a.red() - b.red()) <= tol && std::abs(a.green() - b.green()) <= tol && std::abs(a.blue() - b.blue()) <= tol;
}

}  // namespace

class RoutingHeatmapTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void sharesAreFractionsOfTheLayer() {
    RoutingHeatmap h;
    h.setRouting(sample());
    QCOMPARE(h.share(0, 0), 0.5);
    QCOMPARE(h.share(1, 3), 0.25);
    QCOMPARE(h.share(2, 3), 0.9);
    QCOMPARE(h.maxShare(), 0.9);
    h.setMeasure(RoutingHeatmap::Measure::WeightShare);
    QCOMPARE(h.share(0, 0), 0.6);
    QCOMPARE(h.share(2, 2), 0.1);
  }

  void paintsTheRightCellColours() {
    RoutingHeatmap h;
    h.resize(420, 300);
    h.setRouting(sample());
    const QImage img = h.grab().toImage();
    const qreal dpr = img.devicePixelRatio();
    for (int l = 0; l < 3; ++l)
      for (int e = 0; e < 4; ++e) {
        const QPoint c = h.cellRect(l, e).center();
        const QColor got = img.pixelColor(QPoint(qRound(c.x() * dpr), qRound(c.y() * dpr)));
        const QColor want = h.colorFor(h.share(l, e));
        QVERIFY2(near(got, want), qPrintable(QString("cell %1,%2: got %3 want %4").arg(l).arg(e).arg(got.name(), want.name())));
      }
    // The hottest cell is full colour, an unused expert is the base colour, and they differ.
    const QColor hot = h.colorFor(h.maxShare());
    QVERIFY(near(hot, QColor(200, 40, 30)));
    QVERIFY(near(h.colorFor(0), h.palette().color(QPalette::Base)));
    // A larger share is strictly redder relative to the base: layer 0 expert 0 (50%) vs expert 1 (30%).
    QVERIFY(h.colorFor(h.share(0, 0)).green() < h.colorFor(h.share(0, 1)).green());

    // Weight mode repaints: layer 0 expert 0 goes from 50% to 60% of the layer.
    h.setMeasure(RoutingHeatmap::Measure::WeightShare);
    const QImage img2 = h.grab().toImage();
    const QPoint c = h.cellRect(0, 0).center();
    QVERIFY(near(img2.pixelColor(QPoint(qRound(c.x() * dpr), qRound(c.y() * dpr))), h.colorFor(0.6)));
    QVERIFY(!near(h.colorFor(0.6), RoutingHeatmap().colorFor(0)));
  }

  void tooltipsGiveExactValues() {
    RoutingHeatmap h;
    h.resize(420, 300);
    h.setRouting(sample());
    const QString tip = h.toolTipAt(h.cellRect(2, 3).center());
    QVERIFY2(tip.contains("Layer 2, expert 3"), qPrintable(tip));
    QVERIFY2(tip.contains("18 tokens (90.00% of the layer)"), qPrintable(tip));
    QVERIFY2(tip.contains("routing weight 9.0000 (90.00% of the layer)"), qPrintable(tip));
    QVERIFY(h.toolTipAt(QPoint(1, 1)).isEmpty());
  }

  void emptyRoutingPaintsAMessage() {
    RoutingHeatmap h;
    h.resize(300, 200);
    QVERIFY(h.isEmpty());
    QVERIFY(h.toolTipAt(QPoint(100, 100)).isEmpty());
    QVERIFY(!h.grab().isNull());
  }

  void expertChartSumsLayers() {
    folio::ui::ExpertUsageChart chart;
    chart.resize(400, 100);
    chart.setRouting(sample());
    QCOMPARE(chart.totals(), (std::vector<int64_t>{15, 11, 11, 23}));
    QCOMPARE(chart.share(3), 23.0 / 60.0);
    QVERIFY(chart.barRect(3).height() > chart.barRect(0).height());
    QVERIFY(chart.toolTipAt(chart.barRect(3).center()).contains("Expert 3: 23 routing decisions (38.33% of all)"));
  }

  void panelNotesSkippedEvaluationsAndToggles() {
    folio::ui::RoutingPanel panel;
    panel.setRouting(sample());
    QVERIFY2(panel.note()->text().contains("skipped 10 of 60 expert evaluations (16.7%)"), qPrintable(panel.note()->text()));
    panel.weightToggle()->click();
    QCOMPARE(panel.heatmap()->measure(), RoutingHeatmap::Measure::WeightShare);
    RoutingAggregate exact = sample();
    exact.experts_skipped = 0;
    panel.setRouting(exact);
    QVERIFY(panel.note()->text().contains("none skipped"));
    panel.setRouting({});
    QVERIFY(panel.note()->text().contains("extractive"));
  }
};

QTEST_MAIN(RoutingHeatmapTest)
#include "test_routing_heatmap.moc"
