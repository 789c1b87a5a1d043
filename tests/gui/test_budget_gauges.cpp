// The budget gauges show the given usage: prompt / window, thinking / budget, answer / max, one table
// row per stage, and the totals.
#include <QLabel>
#include <QProgressBar>
#include <QTableWidget>
#include <QtTest>

#include "ui/budget_gauges.h"

class BudgetGaugesTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void showsUsage() {
    folio::app::Plan plan;
    plan.mode = folio::app::kModeSummarize;
    plan.budgets.context_window = 8192;
    plan.budgets.thinking_budget = 1024;
    plan.budgets.answer_budget = 512;
    plan.prompt_tokens = 3000;
    folio::app::PipelineUsage usage;
    auto& map = usage.stage("map");
    map.engine = "tiny";
    map.calls = 12;
    map.reused = 3;
    map.prompt_tokens = 9000;
    map.answer_tokens = 600;
    map.decode_ms = 300;
    map.elapsed_ms = 900;
    auto& reason = usage.stage("reason");
    reason.engine = "tiny";
    reason.calls = 1;
    reason.prompt_tokens = 3100;
    reason.thinking_tokens = 700;
    reason.answer_tokens = 256;
    reason.decode_ms = 1000;
    reason.elapsed_ms = 1500;

    folio::ui::BudgetGauges g;
    g.setUsage(plan, usage);
    QCOMPARE(g.contextGauge()->maximum(), 8192);
    QCOMPARE(g.contextGauge()->value(), 3100);  // the reason stage's actual prompt
    QCOMPARE(g.thinkingGauge()->maximum(), 1024);
    QCOMPARE(g.thinkingGauge()->value(), 700);
    QCOMPARE(g.answerGauge()->maximum(), 512);
    QCOMPARE(g.answerGauge()->value(), 256);
    QVERIFY2(g.thinkingGauge()->text().contains("700 / 1024"), qPrintable(g.thinkingGauge()->text()));
    QCOMPARE(g.stageTable()->rowCount(), 2);
    QCOMPARE(g.stageTable()->item(0, 0)->text(), QString("map"));
    QCOMPARE(g.stageTable()->item(0, 1)->text(), QString("12 (+3 reused)"));
    QCOMPARE(g.stageTable()->item(1, 3)->text(), QString("700"));
    QCOMPARE(g.stageTable()->item(1, 6)->text(), QString("956.0"));  // (700+256) tokens / 1 s
    // 2.4 s in all; 1556 tokens over 1.3 s of decoding.
    QVERIFY2(g.totals()->text().contains("2.40 s"), qPrintable(g.totals()->text()));
    QVERIFY2(g.totals()->text().contains("1556 tokens generated"), qPrintable(g.totals()->text()));
    QVERIFY2(g.totals()->text().contains("1196.9 tokens/s"), qPrintable(g.totals()->text()));

    QVERIFY(g.leftOut()->isHidden());  // nothing left out

    g.clear();
    QCOMPARE(g.stageTable()->rowCount(), 0);
    QCOMPARE(g.answerGauge()->value(), 0);
  }

  void overBudgetIsClampedButReported() {
    folio::app::Plan plan;
    plan.budgets.context_window = 100;
    plan.budgets.thinking_budget = 0;
    plan.budgets.answer_budget = 10;
    plan.prompt_tokens = 150;
    folio::ui::BudgetGauges g;
    g.setUsage(plan, {});
    QCOMPARE(g.contextGauge()->value(), 100);
    QVERIFY2(g.contextGauge()->text().contains("150 / 100"), qPrintable(g.contextGauge()->text()));
    QVERIFY(g.thinkingGauge()->text().contains("no budget"));
  }

  // An answer over a scope narrowed to its best-matching documents says so beside the budgets.
  void saysWhatThePlanLeftOut() {
    folio::app::Plan plan;
    plan.mode = folio::app::kModeInline;
    plan.budgets.context_window = 4096;
    plan.left_out.push_back({"19988 other documents of the 20000 in scope", "only the 12 best-matching were read"});
    plan.left_out.push_back({"3 more passages or summaries (900 tokens)", "beyond the evidence budget"});
    folio::ui::BudgetGauges g;
    g.show();
    g.setUsage(plan, {});
    QVERIFY(g.leftOut()->isVisible());
    const QString text = g.leftOut()->text();
    QVERIFY2(text.contains("Left out: 19988 other documents of the 20000 in scope — only the 12 best-matching were read"),
             qPrintable(text));
    QVERIFY2(text.contains("Left out: 3 more passages"), qPrintable(text));
    g.clear();
    QVERIFY(!g.leftOut()->isVisible());
  }
};

QTEST_MAIN(BudgetGaugesTest)
#include "test_budget_gauges.moc"
