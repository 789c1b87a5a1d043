// End to end on a temporary library: the main window ingests resources/samples through its ingest
// action, the documents appear, an extractive question is answered with citations, a citation opens the
// contract PDF with the span highlighted, the tiny fixture model answers with a routing heatmap and
// filled budget gauges, and the answer is exported as a PDF report. Screenshots go to
// $FOLIO_TEST_ARTIFACTS. A watchdog timer measures the longest GUI-thread stall and the test prints it
// (failing only beyond 1 s).
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QSet>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QtTest>

#include "ui/ask_panel.h"
#include "ui/budget_gauges.h"
#include "ui/export_dialog.h"
#include "ui/library_model.h"
#include "ui/library_panel.h"
#include "ui/library_service.h"
#include "ui/main_window.h"
#include "ui/pdf_view.h"
#include "ui/reader_panel.h"
#include "ui/routing_heatmap.h"
#include "ui/routing_panel.h"

namespace {

// Ticks every 10 ms on the GUI thread; a late tick means the event loop was blocked that long.
class StallWatchdog : public QObject {
 public:
  StallWatchdog() {
    timer_.setInterval(10);
    QObject::connect(&timer_, &QTimer::timeout, this, [this] {
      const qint64 now = clock_.elapsed();
      max_ = std::max(max_, now - last_ - 10);
      last_ = now;
    });
    clock_.start();
    timer_.start();
  }
  qint64 maxStallMs() const { return max_; }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = 0, max_ = 0;
};

void screenshot(QWidget& w, const QString& name) {
  const QByteArray dir = qgetenv("FOLIO_TEST_ARTIFACTS");
  if (dir.isEmpty()) return;
  QDir().mkpath(QString::fromLocal8Bit(dir));
  const QString path = QString::fromLocal8Bit(dir) + "/" + name;
  QVERIFY2(w.grab().save(path), qPrintable(path));
  qInfo().noquote() << "screenshot:" << path;
}

}  // namespace

class EndToEndTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void libraryReaderAnswerHeatmapBudgetsExport() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    qputenv("XDG_DATA_HOME", tmp.path().toLocal8Bit());
    folio::ui::MainWindowOptions o;  // the default library path, under the temporary XDG_DATA_HOME
    o.remember = false;
    folio::ui::MainWindow w(o);
    QCOMPARE(QString::fromStdString(w.libraryPath().string()), tmp.path() + "/folio/library.sqlite");
    w.resize(1500, 950);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    StallWatchdog watchdog;

    // Ingest through the window's action (what Add folder… and drops call).
    QSignalSpy finished(w.libraryService(), &folio::ui::LibraryService::ingestFinished);
    w.addPaths({QString(FOLIO_RESOURCES_DIR) + "/samples"}, "samples");
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
    const auto report = finished.at(0).at(0).value<folio::ingest::IngestReport>();
    QVERIFY(report.added >= 3);
    QCOMPARE(report.failed, size_t{0});
    QTRY_COMPARE_WITH_TIMEOUT(w.libraryModel()->documentCount(), static_cast<int>(report.files_seen), 10000);
    QVERIFY(w.libraryPanel()->statusLabel()->text().startsWith("Done:"));
    screenshot(w, "library.png");
    const qint64 ingest_stall = watchdog.maxStallMs();

    // An extractive question in the collection.
    auto* ask = w.askPanel();
    QTRY_VERIFY(ask->findChild<QComboBox*>("scopeBox")->findData("samples") >= 0);
    ask->setScope("samples");
    QSignalSpy shown(ask, &folio::ui::AskPanel::answerShown);
    ask->questionEdit()->setText("Who are the Parties to the Master Services Agreement and where are their registered offices?");
    QTest::mouseClick(ask->askButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 120000);
    const auto extractive = shown.at(0).at(0).value<folio::app::AnswerRecord>();
    QVERIFY(extractive.extractive);
    QVERIFY(extractive.id > 0);
    QVERIFY(ask->answerModeLabel()->text().contains("Extractive answer"));
    QVERIFY(!ask->citationChips().isEmpty());
    QVERIFY(w.budgets()->contextGauge()->value() > 0);
    QVERIFY(w.routingPanel()->heatmap()->isEmpty());  // no model ran

    // Open the contract citation: the PDF page with the cited span highlighted.
    QPushButton* contract_chip = nullptr;
    for (auto* chip : ask->citationChips())
      if (chip->text().contains("services-agreement.pdf")) contract_chip = chip;
    QVERIFY2(contract_chip, "a citation into the contract");
    QSignalSpy page(w.reader()->pdfView(), &folio::ui::PdfView::pageShown);
    QTest::mouseClick(contract_chip, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(page.count() >= 1, 20000);
    QVERIFY(w.reader()->showingPdf());
    QVERIFY(w.reader()->pdfView()->path().endsWith("services-agreement.pdf"));
    QVERIFY2(page.last().at(1).toInt() >= 1, "the cited span is highlighted on the page");
    screenshot(w, "reader_citation.png");

    // The same scope asked of each document: one passage from every document that matches.
    ask->eachDocumentBox()->setChecked(true);
    ask->questionEdit()->setText("Which documents say when payment is due?");
    QTest::mouseClick(ask->askButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, 120000);
    const auto each = shown.at(1).at(0).value<folio::app::AnswerRecord>();
    QCOMPARE(QString::fromStdString(each.plan.mode), QString("each document"));
    QVERIFY(!each.citations.empty());
    QSet<QString> cited;
    for (const auto& c : each.citations) {
      const QString path = QString::fromStdString(c.source.path);
      QVERIFY2(!cited.contains(path), "one passage per document");
      cited.insert(path);
    }
    ask->eachDocumentBox()->setChecked(false);

    // The tiny fixture model: a model answer with routing and budgets.
    folio::ui::GuiSettings s = w.settings();
    s.thinking_budget = 16;
    s.answer_budget = 24;
    s.context_window = 2048;
    s.expert_threshold = 0.9;
    w.setSettings(s);
    QSignalSpy model(&w, &folio::ui::MainWindow::modelChanged);
    w.loadModel(QString(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls");
    QTRY_COMPARE_WITH_TIMEOUT(model.count(), 1, 60000);
    QVERIFY(w.modelLoaded());
    QVERIFY(w.modeLabel()->text().startsWith("Model: tiny-f32-h4-ls"));
    ask->questionEdit()->setText("What are the payment terms?");
    QTest::mouseClick(ask->askButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 3, 300000);
    const auto modelled = shown.at(2).at(0).value<folio::app::AnswerRecord>();
    QVERIFY(!modelled.extractive);
    QVERIFY(ask->answerModeLabel()->text().contains("Model answer"));
    const auto routing = modelled.usage.routingTotal();
    auto* heatmap = w.routingPanel()->heatmap();
    QVERIFY(!heatmap->isEmpty());
    QCOMPARE(heatmap->routing().num_layers, routing.num_layers);
    QCOMPARE(heatmap->routing().num_experts, routing.num_experts);
    QCOMPARE(heatmap->routing().counts, routing.counts);
    int64_t routed = 0;
    for (auto c : heatmap->routing().counts) routed += c;
    QVERIFY(routed > 0);
    QCOMPARE(w.budgets()->contextGauge()->maximum(), 2048);
    QVERIFY(w.budgets()->contextGauge()->value() > 0);
    QCOMPARE(w.budgets()->answerGauge()->maximum(), 24);
    QVERIFY(w.budgets()->thinkingGauge()->value() + w.budgets()->answerGauge()->value() > 0);
    QVERIFY(w.budgets()->stageTable()->rowCount() >= 1);
    screenshot(w, "answer_heatmap_budgets.png");
    const qint64 ask_stall = watchdog.maxStallMs();

    // Export the answer on screen as a PDF report through the export dialog.
    QSignalSpy exported(&w, &folio::ui::MainWindow::exportFinished);
    QSignalSpy export_failed(&w, &folio::ui::MainWindow::exportError);
    w.openExportDialog();
    auto* dialog = w.findChild<folio::ui::ExportDialog*>();
    QVERIFY(dialog);
    dialog->setFormatName("pdf");
    dialog->setPath(tmp.filePath("answer.pdf"));
    QVERIFY(!dialog->exportSession());
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    QTRY_COMPARE_WITH_TIMEOUT(exported.count() + export_failed.count(), 1, 60000);
    QCOMPARE(export_failed.count(), 0);
    QFile pdf(tmp.filePath("answer.pdf"));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
    QVERIFY(pdf.size() > 1000);

    qInfo().noquote() << QString("longest GUI-thread stall: %1 ms during ingest, %2 ms overall (ingest, ask, export)")
                             .arg(ingest_stall)
                             .arg(std::max(ask_stall, watchdog.maxStallMs()));
    QVERIFY2(watchdog.maxStallMs() < 1000, "the GUI thread was blocked for more than a second");
    w.close();
  }

  void closingDuringIngestCancelsCleanly() {
    QTemporaryDir tmp;
    folio::ui::MainWindowOptions o;
    o.library = std::filesystem::path(tmp.path().toStdString()) / "library.sqlite";
    o.remember = false;
    {
      folio::ui::MainWindow w(o);
      w.show();
      QSignalSpy started(w.libraryService(), &folio::ui::LibraryService::ingestStarted);
      w.addPaths({QString(FOLIO_RESOURCES_DIR) + "/samples"}, "samples");
      QCOMPARE(started.count(), 1);
      QTest::qWait(20);
      w.close();  // cancels and joins the ingest worker
      QVERIFY(!w.isVisible());
    }
    // What was committed is consistent: a second window lists it and can finish the ingest.
    folio::ui::MainWindow again(o);
    QSignalSpy finished(again.libraryService(), &folio::ui::LibraryService::ingestFinished);
    again.addPaths({QString(FOLIO_RESOURCES_DIR) + "/samples"}, "samples");
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
    const auto r = finished.at(0).at(0).value<folio::ingest::IngestReport>();
    QCOMPARE(r.failed, size_t{0});
    QTRY_COMPARE_WITH_TIMEOUT(again.libraryModel()->documentCount(), static_cast<int>(r.files_seen), 10000);
  }
};

QTEST_MAIN(EndToEndTest)
#include "test_end_to_end.moc"
