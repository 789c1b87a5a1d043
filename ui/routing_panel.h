// The routing view beside an answer: the layers × experts heatmap with a token/weight toggle, the
// per-expert usage chart and a note on expert evaluations skipped by the τ threshold. It shows either the
// whole answer or one generated token ("token N" mode: each cell is that token's routing weight), with a
// button back to the whole answer.
#pragma once

#include <QWidget>

#include <vector>

#include "app/pipeline/token_routing.h"
#include "engine/model/routing.h"

class QLabel;
class QPushButton;
class QRadioButton;

namespace folio::ui {

class RoutingHeatmap;
class ExpertUsageChart;

class RoutingPanel : public QWidget {
  Q_OBJECT

 public:
  explicit RoutingPanel(QWidget* parent = nullptr);

  // The whole answer's aggregate and its generated tokens (empty: no per-token view); whole-answer mode.
  void setRouting(const engine::RoutingAggregate& routing, std::vector<app::TokenRouting> tokens = {});
  // "token N" mode for answer token `index`; false (nothing changes) when there is no such token.
  bool showToken(int index);
  void showWholeAnswer();
  int shownToken() const { return shown_token_; }  // -1: the whole answer
  const std::vector<app::TokenRouting>& tokens() const { return tokens_; }
  RoutingHeatmap* heatmap() const { return heatmap_; }
  ExpertUsageChart* usageChart() const { return chart_; }
  QLabel* note() const { return note_; }
  QRadioButton* weightToggle() const { return by_weight_; }
  QPushButton* wholeAnswerButton() const { return whole_answer_; }
  QLabel* modeLabel() const { return mode_; }

 private:
  RoutingHeatmap* heatmap_;
  ExpertUsageChart* chart_;
  QLabel* note_;
  QRadioButton* by_tokens_;
  QRadioButton* by_weight_;
  QPushButton* whole_answer_;
  QLabel* mode_;
  engine::RoutingAggregate total_;
  std::vector<app::TokenRouting> tokens_;
  int shown_token_ = -1;

  void showAggregate(const engine::RoutingAggregate& r);
};

}  // namespace folio::ui
