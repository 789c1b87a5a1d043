#include "ui/budget_gauges.h"

#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace folio::ui {
namespace {

QProgressBar* gauge(const char* name) {
  auto* g = new QProgressBar;
  g->setObjectName(name);
  g->setTextVisible(true);
  g->setRange(0, 1);
  g->setValue(0);
  g->setFormat(QObject::tr("—"));
  return g;
}

void setGauge(QProgressBar* g, int64_t used, int64_t limit, const QString& unit) {
  const int64_t cap = std::max<int64_t>(1, limit);
  g->setRange(0, static_cast<int>(std::min<int64_t>(cap, INT32_MAX)));
  g->setValue(static_cast<int>(std::clamp<int64_t>(used, 0, std::min<int64_t>(cap, INT32_MAX))));
  g->setFormat(limit > 0 ? QObject::tr("%1 / %2 %3 (%4%)")
                               .arg(used)
                               .arg(limit)
                               .arg(unit)
                               .arg(100.0 * static_cast<double>(used) / static_cast<double>(limit), 0, 'f', 1)
                         : QObject::tr("%1 %2 (no budget)").arg(used).arg(unit));
}

}  // namespace

BudgetGauges::BudgetGauges(QWidget* parent) : QWidget(parent) {
  setObjectName("budgetGauges");
  context_ = gauge("contextGauge");
  thinking_ = gauge("thinkingGauge");
  answer_ = gauge("answerGauge");
  auto* form = new QFormLayout;
  form->addRow(tr("Context"), context_);
  form->addRow(tr("Thinking"), thinking_);
  form->addRow(tr("Answer"), answer_);
  table_ = new QTableWidget(0, 7);
  table_->setObjectName("stageTable");
  table_->setHorizontalHeaderLabels({tr("Stage"), tr("Calls"), tr("Prompt"), tr("Thinking"), tr("Answer"), tr("Time"), tr("tok/s")});
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setMinimumHeight(120);
  table_->setMaximumHeight(130);
  totals_ = new QLabel;
  totals_->setObjectName("budgetTotals");
  left_out_ = new QLabel;
  left_out_->setObjectName("budgetLeftOut");
  left_out_->setWordWrap(true);
  left_out_->setTextFormat(Qt::PlainText);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("<b>Token budgets</b>")));
  layout->addLayout(form);
  layout->addWidget(table_);
  layout->addWidget(totals_);
  layout->addWidget(left_out_);
  clear();
}

void BudgetGauges::clear() {
  for (auto* g : {context_, thinking_, answer_}) {
    g->setRange(0, 1);
    g->setValue(0);
    g->setFormat(tr("—"));
  }
  table_->setRowCount(0);
  totals_->setText(tr("No answer yet."));
  left_out_->clear();
  left_out_->hide();
}

void BudgetGauges::setProgress(const app::AnswerProgress& p) {
  setGauge(context_, p.tokens.prompt_tokens, p.context_window, tr("tokens"));
  setGauge(thinking_, p.tokens.thinking_tokens, p.thinking_budget, tr("tokens"));
  setGauge(answer_, p.tokens.answer_tokens, p.answer_budget, tr("tokens"));
  totals_->setText(tr("Generating…"));
  left_out_->hide();
}

void BudgetGauges::setUsage(const app::Plan& plan, const app::PipelineUsage& usage) {
  int64_t thinking = 0, answer = 0, prompt = plan.prompt_tokens, generated = 0;
  double elapsed = 0, decode = 0;
  for (const auto& s : usage.stages) {
    elapsed += s.elapsed_ms;
    decode += s.decode_ms;
    generated += s.thinking_tokens + s.answer_tokens;
    if (s.stage == "reason") {
      thinking = s.thinking_tokens;
      answer = s.answer_tokens;
      if (s.prompt_tokens > 0) prompt = s.prompt_tokens;
    }
  }
  setGauge(context_, prompt, plan.budgets.context_window, tr("tokens"));
  setGauge(thinking_, thinking, plan.budgets.thinking_budget, tr("tokens"));
  setGauge(answer_, answer, plan.budgets.answer_budget, tr("tokens"));

  table_->setRowCount(static_cast<int>(usage.stages.size()));
  for (int r = 0; r < static_cast<int>(usage.stages.size()); ++r) {
    const auto& s = usage.stages[static_cast<size_t>(r)];
    const QStringList cells = {
        QString::fromStdString(s.stage) + (s.engine == "extractive" ? tr(" (extractive)") : QString()),
        s.reused > 0 ? tr("%1 (+%2 reused)").arg(s.calls).arg(s.reused) : QString::number(s.calls),
        QString::number(s.prompt_tokens),
        QString::number(s.thinking_tokens),
        QString::number(s.answer_tokens),
        QString("%1 ms").arg(s.elapsed_ms, 0, 'f', 0),
        QString::number(s.tokensPerSecond(), 'f', 1)};
    for (int c = 0; c < cells.size(); ++c) table_->setItem(r, c, new QTableWidgetItem(cells[c]));
  }
  const double tps = decode > 0 ? static_cast<double>(generated) * 1000.0 / decode : 0;
  totals_->setText(tr("Plan: %1 · %2 s in all · %3 tokens generated · %4 tokens/s")
                       .arg(QString::fromStdString(plan.mode.empty() ? std::string("—") : plan.mode))
                       .arg(elapsed / 1000.0, 0, 'f', 2)
                       .arg(generated)
                       .arg(tps, 0, 'f', 1));
  QStringList left;
  for (const auto& l : plan.left_out)
    left << tr("Left out: %1 — %2").arg(QString::fromStdString(l.what), QString::fromStdString(l.why));
  left_out_->setText(left.join('\n'));
  left_out_->setVisible(!left.isEmpty());
}

}  // namespace folio::ui
