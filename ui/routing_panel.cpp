#include "ui/routing_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>
#include <algorithm>
#include <utility>

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
  mode_ = new QLabel;
  mode_->setObjectName("routingModeLabel");
  mode_->setTextFormat(Qt::PlainText);
  whole_answer_ = new QPushButton(tr("Whole answer"));
  whole_answer_->setObjectName("wholeAnswerButton");
  whole_answer_->setToolTip(tr("Show the routing of the whole answer again (click a word of the answer for one token)"));
  connect(whole_answer_, &QPushButton::clicked, this, &RoutingPanel::showWholeAnswer);
  auto* mode_row = new QHBoxLayout;
  mode_row->addWidget(mode_, 1);
  mode_row->addWidget(whole_answer_);
  auto* toggles = new QHBoxLayout;
  toggles->addWidget(new QLabel(tr("<b>Expert routing</b> (layers × experts)")));
  toggles->addStretch();
  toggles->addWidget(by_tokens_);
  toggles->addWidget(by_weight_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(toggles);
  layout->addLayout(mode_row);
  layout->addWidget(heatmap_, 3);
  layout->addWidget(chart_, 1);
  layout->addWidget(note_);
  setRouting({});
}

void RoutingPanel::setRouting(const engine::RoutingAggregate& r, std::vector<app::TokenRouting> tokens) {
  total_ = r;
  tokens_ = std::move(tokens);
  showWholeAnswer();
}

void RoutingPanel::showWholeAnswer() {
  shown_token_ = -1;
  by_tokens_->setEnabled(true);
  by_weight_->setEnabled(true);
  heatmap_->setMeasure(by_weight_->isChecked() ? RoutingHeatmap::Measure::WeightShare : RoutingHeatmap::Measure::TokenShare);
  whole_answer_->setEnabled(false);
  showAggregate(total_);
  if (total_.num_layers == 0)
    mode_->setText({});
  else if (tokens_.empty())
    mode_->setText(tr("Whole answer (no per-token routing kept for this answer)"));
  else
    mode_->setText(tr("Whole answer · click a token of the answer to see its experts"));
}

bool RoutingPanel::showToken(int index) {
  if (index < 0 || static_cast<size_t>(index) >= tokens_.size() || total_.num_layers == 0) return false;
  const auto& t = tokens_[static_cast<size_t>(index)];
  if (static_cast<int>(t.layers.size()) != total_.num_layers) return false;
  size_t kept = 0;
  for (const auto& l : t.layers) kept = std::max(kept, l.size());
  shown_token_ = index;
  // One token's weights per layer sum to 1: the weight share of a cell is its routing weight.
  by_tokens_->setEnabled(false);
  by_weight_->setEnabled(false);
  heatmap_->setMeasure(RoutingHeatmap::Measure::WeightShare);
  whole_answer_->setEnabled(true);
  heatmap_->setRouting(t.aggregate(total_.num_experts, static_cast<int>(kept)));
  chart_->setRouting(heatmap_->routing());
  QString piece = QString::fromStdString(t.piece).simplified();
  if (piece.size() > 24) piece = piece.left(24) + QStringLiteral("…");
  mode_->setText(kept == 0 ? tr("Token %1 «%2»: no routing was recorded for it")
                                 .arg(index + 1).arg(piece)
                           : tr("Token %1 «%2» (position %3, id %4) · cell = routing weight")
                                 .arg(index + 1).arg(piece).arg(t.position).arg(t.id));
  return true;
}

void RoutingPanel::showAggregate(const engine::RoutingAggregate& r) {
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
