#include "ui/routing_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

#include "ui/expert_usage_chart.h"
#include "ui/routing_heatmap.h"

namespace folio::ui {

RoutingPanel::RoutingPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("routingPanel");
  heatmap_ = new RoutingHeatmap;
  chart_ = new ExpertUsageChart;
  note_ = new QLabel;
  note_->setObjectName("routingNote");
  note_->setWordWrap(true);
  by_tokens_ = new QRadioButton(tr("Share of tokens"));
  by_weight_ = new QRadioButton(tr("Share of routing weight"));
  by_weight_->setObjectName("weightToggle");
  by_tokens_->setChecked(true);
  connect(by_weight_, &QRadioButton::toggled, this, [this](bool on) {
    heatmap_->setMeasure(on ? RoutingHeatmap::Measure::WeightShare : RoutingHeatmap::Measure::TokenShare);
  });
  auto* toggles = new QHBoxLayout;
  toggles->addWidget(new QLabel(tr("<b>Expert routing</b> (layers × experts)")));
  toggles->addStretch();
  toggles->addWidget(by_tokens_);
  toggles->addWidget(by_weight_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(toggles);
  layout->addWidget(heatmap_, 3);
  layout->addWidget(chart_, 1);
  layout->addWidget(note_);
  setRouting({});
}

void RoutingPanel::setRouting(const engine::RoutingAggregate& r) {
  heatmap_->setRouting(r);
  chart_->setRouting(r);
  const int64_t all = r.experts_evaluated + r.experts_skipped;
  if (r.num_layers == 0)
    note_->setText(tr("No model ran for this answer (extractive mode): there is no routing to show."));
  else if (r.experts_skipped > 0)
    note_->setText(tr("τ < 1 skipped %1 of %2 expert evaluations (%3%).")
                       .arg(r.experts_skipped)
                       .arg(all)
                       .arg(100.0 * static_cast<double>(r.experts_skipped) / static_cast<double>(all), 0, 'f', 1));
  else
    note_->setText(tr("%1 expert evaluations, none skipped (τ = 1).").arg(r.experts_evaluated));
}

}  // namespace folio::ui
