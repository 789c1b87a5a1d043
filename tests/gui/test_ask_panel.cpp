// The ask panel: typing a question and pressing Enter asks in the chosen scope, the answer shows its
// mode, a collapsible thinking section and clickable citation chips, and history rows show old answers.
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTextBrowser>
#include <QToolButton>
#include <QtTest>

#include "ui/ask_panel.h"
#include "ui/metatypes.h"

using folio::app::AnswerRecord;

namespace {

AnswerRecord answer(int64_t id, bool extractive) {
  AnswerRecord a;
  a.id = id;
  a.question = "Who are the parties?";
  a.extractive = extractive;
  a.model = extractive ? "extractive" : "fnv1a64:0123456789abcdef/1";
  if (!extractive) a.model_name = "tiny-f32 — minimax_m1, 178K parameters, τ 0.5";
  a.text = extractive ? std::string(folio::app::kExtractiveLabel) + "\n\n[1] Northwind and Harbor" : "Northwind [1] and Harbor [2].";
  a.thinking = extractive ? "" : "The first passage names the provider.";
  a.finish_reason = "eos";
  for (int n = 1; n <= 2; ++n) {
    folio::app::Citation c;
    c.n = n;
    c.source.n = n;
    c.source.kind = "chunk";
    c.source.document_id = 10 + n;
    c.source.path = "contracts/services-agreement.pdf";
    c.source.page_first = c.source.page_last = n;
    c.source.line_first = 3;
    c.source.line_last = 9;
    c.source.text = "passage " + std::to_string(n);
    a.citations.push_back(c);
  }
  return a;
}

}  // namespace

class AskPanelTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void asksInScope() {
    folio::ui::AskPanel panel;
    panel.setCollections({"contracts", "code"});
    panel.setScope("contracts");
    QSignalSpy asked(&panel, &folio::ui::AskPanel::askRequested);
    QTest::keyClicks(panel.questionEdit(), "What is the notice period?");
    QTest::keyClick(panel.questionEdit(), Qt::Key_Return);
    QCOMPARE(asked.count(), 1);
    QCOMPARE(asked.at(0).at(0).toString(), QString("What is the notice period?"));
    QCOMPARE(asked.at(0).at(1).toString(), QString("contracts"));
    QVERIFY(!panel.askButton()->isEnabled());
    QVERIFY(panel.stopButton()->isEnabled());
    QSignalSpy stop(&panel, &folio::ui::AskPanel::stopRequested);
    QTest::mouseClick(panel.stopButton(), Qt::LeftButton);
    QCOMPARE(stop.count(), 1);
    // While busy a second question is not sent.
    QTest::keyClick(panel.questionEdit(), Qt::Key_Return);
    QCOMPARE(asked.count(), 1);
    panel.showError("Stopped.");
    QVERIFY(panel.askButton()->isEnabled());
    // Collections reloaded: the scope stays.
    panel.setCollections({"code", "contracts", "papers"});
    QCOMPARE(panel.scope(), QString("contracts"));
  }

  // A chip's tooltip quotes the part of a long passage that answers, as reports do, not its first bytes.
  void chipTooltipQuotesTheAnsweringSentence() {
    AnswerRecord a = answer(3, false);
    std::string filler;
    for (int i = 0; i < 20; ++i) filler += "The Supplier keeps records of every delivery it makes. ";
    a.question = "What interest is charged on late payment?";
    a.citations[0].source.text = filler + "Late payment bears interest at four per cent a year. " + filler;
    folio::ui::AskPanel panel;
    panel.showAnswer(a);
    const QString tip = panel.citationChips()[0]->toolTip();
    QVERIFY2(tip.contains("Late payment bears interest at four per cent a year."), qPrintable(tip));
    QVERIFY2(tip.toUtf8().size() <= 600, qPrintable(tip));
    QCOMPARE(panel.citationChips()[1]->toolTip(), QString("passage 2"));  // a short passage whole
  }

  void showsExtractiveAnswerWithChips() {
    folio::ui::AskPanel panel;
    QVERIFY(panel.answerModeLabel()->text().contains("Extractive mode"));
    panel.showAnswer(answer(1, true));
    QVERIFY(panel.answerModeLabel()->text().contains("Extractive answer (no model loaded)"));
    QVERIFY(!panel.thinkingToggle()->isEnabled());
    QCOMPARE(panel.citationChips().size(), 2);
    QCOMPARE(panel.citationChips()[1]->text(), QString("[2] contracts/services-agreement.pdf · p. 2 · l. 3–9"));
    QSignalSpy cited(&panel, &folio::ui::AskPanel::citationActivated);
    QTest::mouseClick(panel.citationChips()[1], Qt::LeftButton);
    QCOMPARE(cited.count(), 1);
    const auto src = cited.at(0).at(0).value<folio::app::Evidence>();
    QCOMPARE(src.document_id, 12);
    QCOMPARE(src.page_first, 2);
  }

  void thinkingCollapsesAndHistorySwitches() {
    folio::ui::AskPanel panel;
    panel.show();
    panel.setHistory({answer(1, true), answer(2, false)});
    QCOMPARE(panel.historyList()->count(), 2);
    panel.showAnswer(answer(2, false));
    QVERIFY(panel.answerModeLabel()->text().contains("Model answer"));
    // The model by name, in the answer and the history row, whichever model is loaded now.
    QVERIFY(panel.answerModeLabel()->text().contains("tiny-f32 — minimax_m1, 178K parameters, τ 0.5"));
    QVERIFY(!panel.answerModeLabel()->text().contains("fnv1a64"));
    QCOMPARE(panel.historyList()->item(1)->toolTip(), QString("all documents · tiny-f32 — minimax_m1, 178K parameters, τ 0.5"));
    QCOMPARE(panel.historyList()->item(0)->toolTip(), QString("all documents"));
    // An answer stored before names were: its identity, labelled so.
    AnswerRecord old = answer(3, false);
    old.model_name.clear();
    panel.showAnswer(old);
    QVERIFY(panel.answerModeLabel()->text().contains("model identity fnv1a64:0123456789abcdef/1"));
    panel.showAnswer(answer(2, false));
    QVERIFY(panel.thinkingToggle()->isEnabled());
    QVERIFY(!panel.thinkingView()->isVisible());
    QTest::mouseClick(panel.thinkingToggle(), Qt::LeftButton);
    QVERIFY(panel.thinkingView()->isVisible());
    QCOMPARE(panel.thinkingView()->toPlainText(), QString("The first passage names the provider."));
    QTest::mouseClick(panel.thinkingToggle(), Qt::LeftButton);
    QVERIFY(!panel.thinkingView()->isVisible());
    QSignalSpy shown(&panel, &folio::ui::AskPanel::answerShown);
    panel.historyList()->setCurrentRow(0);
    QCOMPARE(shown.count(), 1);
    QCOMPARE(panel.currentAnswer()->id, 1);
    QVERIFY(panel.answerView()->toPlainText().startsWith("Extractive answer"));
    // A stored answer is listed once.
    panel.addToHistory(answer(2, false));
    QCOMPARE(panel.historyList()->count(), 2);
  }
};

QTEST_MAIN(AskPanelTest)
#include "test_ask_panel.moc"
