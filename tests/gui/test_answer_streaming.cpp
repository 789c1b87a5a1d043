// Token streaming of model answers (issue 8): the main window on a temporary library with the tiny
// fixture model shows the answer growing in several partial updates before it completes, the complete
// text equals what the same question gives without streaming, Stop still ends a streaming answer, and
// the coalescer hands a flood of worker-thread pieces to the GUI thread in a few updates, in order, and
// the budget gauges count the answer's tokens while it streams, ending at the final usage.
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>
#include <thread>

#include "app/pipeline/ask.h"
#include "ui/ask_panel.h"
#include "ui/ask_service.h"
#include "ui/budget_gauges.h"
#include "ui/library_service.h"
#include "ui/main_window.h"
#include "ui/stream_coalescer.h"
#include "tests/gui/ingest_watch.h"

namespace {

const QString kModel = QString(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls";

// A one-document library and the fixture model loaded in a window that remembers nothing.
struct StreamingWindow {
  QTemporaryDir tmp;
  std::unique_ptr<folio::ui::MainWindow> window;

  bool open(int answer_budget, int context_window) {
    if (!tmp.isValid()) return false;
    QFile notes(tmp.filePath("notes/shipping.md"));
    QDir().mkpath(tmp.filePath("notes"));
    if (!notes.open(QIODevice::WriteOnly)) return false;
    notes.write("# Shipping notes\n\nParcels leave the Harbor depot every Tuesday. Payment is due within "
                "30 days of the invoice. Late parcels are refunded in full.\n");
    notes.close();
    folio::ui::MainWindowOptions o;
    o.library = std::filesystem::path(tmp.path().toStdString()) / "library.sqlite";
    o.remember = false;
    window = std::make_unique<folio::ui::MainWindow>(o);
    folio::test::IngestWatch ingest(window->libraryService());
    window->addPaths({tmp.filePath("notes")}, "notes");
    if (!ingest.waitFinished()) return false;
    folio::ui::GuiSettings s = window->settings();
    s.thinking_budget = 0;  // the whole output is answer text
    s.answer_budget = answer_budget;
    s.context_window = context_window;
    s.threads = 1;
    window->setSettings(s);
    QSignalSpy model(window.get(), &folio::ui::MainWindow::modelChanged);
    window->loadModel(kModel);
    return QTest::qWaitFor([&] { return model.count() == 1; }, 60000) && window->modelLoaded();
  }
};

}  // namespace

class AnswerStreamingTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void answerGrowsInPartsAndEndsAsTheUnstreamedAnswer() {
    StreamingWindow sw;
    // The tiny model makes ~10 tokens per ms: 3000 tokens take long enough for several 30 ms updates.
    QVERIFY(sw.open(/*answer_budget=*/3000, /*context_window=*/4096));
    auto* ask = sw.window->askPanel();
    // Every state of the answer view while the question runs.
    QStringList partials;
    bool done = false;
    QObject::connect(ask->answerView(), &QTextBrowser::textChanged, ask, [&] {
      const QString text = ask->answerView()->toPlainText();
      if (!done && !text.isEmpty() && (partials.isEmpty() || partials.last() != text)) partials << text;
    });
    QSignalSpy streamed(sw.window->askService(), &folio::ui::AskService::answerStreamed);
    QSignalSpy shown(ask, &folio::ui::AskPanel::answerShown);
    QObject::connect(ask, &folio::ui::AskPanel::answerShown, ask, [&] { done = true; });
    const QString question = "When is payment due?";
    ask->questionEdit()->setText(question);
    QTest::mouseClick(ask->askButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 120000);
    const auto answer = shown.at(0).at(0).value<folio::app::AnswerRecord>();
    QVERIFY(!answer.extractive);
    const QString final_text = QString::fromStdString(answer.text);
    QVERIFY2(final_text.size() > 20, qPrintable(final_text));
    QCOMPARE(ask->answerView()->toPlainText(), final_text);

    // Several partial updates, each a growing prefix of the complete answer, all before it completed.
    qInfo().noquote() << QString("%1 streamed updates, %2 answer-view states before completion, %3 characters")
                             .arg(streamed.count())
                             .arg(partials.size())
                             .arg(final_text.size());
    QVERIFY2(streamed.count() >= 3, "the answer arrived in fewer than 3 streamed updates");
    QVERIFY(partials.size() >= 3);
    for (int i = 0; i < partials.size(); ++i) {
      QVERIFY2(final_text.startsWith(partials[i]), qPrintable(partials[i]));
      if (i > 0) QVERIFY(partials[i].size() > partials[i - 1].size());
    }
    QVERIFY(partials.first().size() < final_text.size());
    QString joined;
    for (const auto& call : streamed) joined += call.at(1).toString();
    QCOMPARE(joined, final_text);

    // The same question without streaming (and without the prefix snapshot the window saved).
    auto lib = folio::ingest::Library::open(sw.window->libraryPath());
    QVERIFY(lib);
    auto rt = folio::app::loadModelRuntime(kModel.toStdString());
    QVERIFY(rt);
    rt->threads = 1;
    folio::app::AskOptions o;
    o.question = question.toStdString();
    o.thinking_budget = 0;
    o.answer_budget = 3000;
    o.context_window = 4096;
    o.store = false;
    auto plain = folio::app::ask(*lib, &*rt, o);
    QVERIFY2(plain, plain ? "" : plain.error().message.c_str());
    QCOMPARE(final_text, QString::fromStdString(plain->text));
  }

  void budgetGaugesGrowWhileStreamingAndEndAtTheUsage() {
    StreamingWindow sw;
    QVERIFY(sw.open(/*answer_budget=*/3000, /*context_window=*/4096));
    auto* ask = sw.window->askPanel();
    auto* gauges = sw.window->budgets();
    // The answer gauge's values and the context gauge's value while the question runs.
    QList<int> live_answer;
    int live_context = -1;
    bool done = false;
    QObject::connect(ask, &folio::ui::AskPanel::answerShown, ask, [&] { done = true; });
    QObject::connect(gauges->answerGauge(), &QProgressBar::valueChanged, ask, [&](int v) {
      if (!done) live_answer << v;
    });
    QObject::connect(gauges->contextGauge(), &QProgressBar::valueChanged, ask, [&](int v) {
      if (!done) live_context = v;
    });
    QSignalSpy progressed(sw.window->askService(), &folio::ui::AskService::answerProgressed);
    QSignalSpy shown(ask, &folio::ui::AskPanel::answerShown);
    ask->questionEdit()->setText("When is payment due?");
    QTest::mouseClick(ask->askButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 120000);
    const auto answer = shown.at(0).at(0).value<folio::app::AnswerRecord>();
    const folio::app::StageUsage* reason = nullptr;
    for (const auto& s : answer.usage.stages)
      if (s.stage == "reason") reason = &s;
    QVERIFY(reason);
    QVERIFY(reason->answer_tokens > 0);

    qInfo().noquote() << QString("%1 progress updates, %2 answer-gauge values before completion, %3 answer tokens")
                             .arg(progressed.count())
                             .arg(live_answer.size())
                             .arg(reason->answer_tokens);
    QVERIFY2(live_answer.size() >= 2, "the answer gauge moved fewer than 2 times before the answer completed");
    for (int i = 1; i < live_answer.size(); ++i) QVERIFY(live_answer[i] > live_answer[i - 1]);
    QVERIFY(live_answer.first() < reason->answer_tokens);
    QCOMPARE(live_answer.last(), static_cast<int>(reason->answer_tokens));
    QCOMPARE(live_context, static_cast<int>(reason->prompt_tokens));
    // The completed answer's figures, as before streaming.
    QCOMPARE(gauges->answerGauge()->value(), static_cast<int>(reason->answer_tokens));
    QCOMPARE(gauges->answerGauge()->maximum(), 3000);
    QCOMPARE(gauges->contextGauge()->maximum(), 4096);
    // A thinking budget of 0: the bar is capped, its text still counts the forced closing tag's tokens.
    QVERIFY2(gauges->thinkingGauge()->format().startsWith(QString::number(reason->thinking_tokens) + " "),
             qPrintable(gauges->thinkingGauge()->format()));
    const auto last = progressed.last().at(0).value<folio::app::AnswerProgress>();
    QCOMPARE(last.tokens.answer_tokens, reason->answer_tokens);
    QCOMPARE(last.tokens.thinking_tokens, reason->thinking_tokens);
    QCOMPARE(last.tokens.prompt_tokens, reason->prompt_tokens);
  }

  void stopEndsAStreamingAnswer() {
    StreamingWindow sw;
    QVERIFY(sw.open(/*answer_budget=*/6000, /*context_window=*/8192));  // about 0.6 s of tokens
    auto* ask = sw.window->askPanel();
    QSignalSpy streamed(sw.window->askService(), &folio::ui::AskService::answerStreamed);
    QSignalSpy failed(sw.window->askService(), &folio::ui::AskService::askFailed);
    QSignalSpy shown(ask, &folio::ui::AskPanel::answerShown);
    ask->questionEdit()->setText("Summarize the notes.");
    QTest::mouseClick(ask->askButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(streamed.count() >= 1 || failed.count() > 0, 120000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    QTest::mouseClick(ask->stopButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count() + shown.count(), 1, 60000);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), QString("Stopped."));
    QVERIFY(ask->askButton()->isEnabled());
    QVERIFY2(!ask->answerView()->toPlainText().isEmpty(), "what streamed before the stop stays");
  }

  void coalescerBatchesAFloodInOrder() {
    folio::ui::StreamCoalescer coalescer(30);
    QSignalSpy flushed(&coalescer, &folio::ui::StreamCoalescer::flushed);
    constexpr int kPieces = 5000;
    std::thread worker([&] {
      for (int i = 0; i < kPieces; ++i) coalescer.append(i % 10 == 0 ? "t" : "", std::to_string(i % 10));
    });
    worker.join();
    QTRY_VERIFY_WITH_TIMEOUT(!flushed.isEmpty(), 5000);
    coalescer.flush();
    QString thinking, answer;
    for (const auto& call : flushed) {
      thinking += call.at(0).toString();
      answer += call.at(1).toString();
    }
    QString expected;
    for (int i = 0; i < kPieces; ++i) expected += QString::number(i % 10);
    QCOMPARE(answer, expected);
    QCOMPARE(thinking, QString(kPieces / 10, QChar('t')));
    QVERIFY2(flushed.count() <= 3, qPrintable(QString("%1 updates for one burst").arg(flushed.count())));
  }
};

QTEST_MAIN(AnswerStreamingTest)
#include "test_answer_streaming.moc"
