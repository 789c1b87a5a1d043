// Token budgets of an answer: gauges for the context (prompt tokens / window), thinking (used / budget)
// and answer (used / max), a per-stage table (map, reduce, reason), the total time and tokens/s, and what
// the plan left out (documents of a large scope that were not read, passages past the evidence budget),
// so an answer over a whole library does not pass for one that read every document.
#pragma once

#include <QWidget>

#include "app/pipeline/ask.h"
#include "app/pipeline/planner.h"
#include "app/pipeline/usage.h"

class QLabel;
class QProgressBar;
class QTableWidget;

namespace folio::ui {

class BudgetGauges : public QWidget {
  Q_OBJECT

 public:
  explicit BudgetGauges(QWidget* parent = nullptr);

  void setUsage(const app::Plan& plan, const app::PipelineUsage& usage);
  // While the answer generates: the three gauges from the running counts (the table waits for setUsage).
  void setProgress(const app::AnswerProgress& progress);
  void clear();

  QProgressBar* contextGauge() const { return context_; }
  QProgressBar* thinkingGauge() const { return thinking_; }
  QProgressBar* answerGauge() const { return answer_; }
  QTableWidget* stageTable() const { return table_; }
  QLabel* totals() const { return totals_; }
  QLabel* leftOut() const { return left_out_; }

 private:
  QProgressBar* context_;
  QProgressBar* thinking_;
  QProgressBar* answer_;
  QTableWidget* table_;
  QLabel* totals_;
  QLabel* left_out_;
};

}  // namespace folio::ui
