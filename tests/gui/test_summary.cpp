// Summaries in the window: Library > Summarize document builds the selected document's summary
// (extractively without a model, with the model when one is loaded) and shows it in a window of its own,
// whose Export writes it; with nothing selected the status bar says what to do. Library > Summarize
// collection does the same for the current collection.
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTreeView>
#include <QtTest>

#include "ui/library_model.h"
#include "ui/library_panel.h"
#include "ui/main_window.h"
#include "ui/summary_service.h"
#include "ui/summary_window.h"
#include "tests/gui/fresh_window.h"
#include "tests/gui/ingest_watch.h"

namespace {

const QString kModel = QString(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls";

using folio::test::optionsIn;

// The samples ingested, the contract selected in the library view; its id (0 when the set-up failed).
qint64 windowWithTheContractSelected(folio::ui::MainWindow& w) {
  folio::test::IngestWatch ingest(w.libraryService());
  w.addPaths({QString(FOLIO_RESOURCES_DIR) + "/samples"}, "samples");
  if (!ingest.waitFinished()) return 0;
  // the listing after the ingest (one during it may hold only the batches committed by then)
  const auto all = static_cast<int>(ingest.lastReport().files_seen);
  if (!QTest::qWaitFor([&] { return w.libraryModel()->documentCount() == all; }, 10000)) return 0;
  const QModelIndex samples = w.libraryModel()->index(0, 0);
  for (int r = 0; r < w.libraryModel()->rowCount(samples); ++r) {
    const QModelIndex doc = w.libraryModel()->index(r, 0, samples);
    if (!doc.data(folio::ui::LibraryModel::PathRole).toString().endsWith("services-agreement.pdf")) continue;
    w.libraryView()->selectionModel()->select(doc, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return doc.data(folio::ui::LibraryModel::DocumentIdRole).toLongLong();
  }
  return 0;
}

// Summarizes the selection and returns the window that shows it (null when none came).
folio::ui::SummaryWindow* summarize(folio::ui::MainWindow& w) {
  QSignalSpy done(w.summaryService(), &folio::ui::SummaryService::summarized);
  QSignalSpy failed(w.summaryService(), &folio::ui::SummaryService::failed);
  if (w.libraryPanel()->selectedDocumentIds().isEmpty()) return nullptr;  // it would only say so
  w.summarizeSelected();
  if (!QTest::qWaitFor([&] { return !done.isEmpty() || !failed.isEmpty(); }, 120000)) return nullptr;
  if (!failed.isEmpty()) qWarning() << failed.at(0).at(0).toString();
  QCoreApplication::processEvents();
  return w.findChild<folio::ui::SummaryWindow*>();
}

}  // namespace

class SummaryTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void extractiveSummaryOpensInItsWindowAndExports() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    QVERIFY(windowWithTheContractSelected(w) > 0);
    auto* window = summarize(w);
    QVERIFY(window);
    const QString text = window->view()->toPlainText();
    QVERIFY2(text.contains("Summary of contracts/services-agreement.pdf"), qPrintable(text.left(400)));
    QVERIFY2(text.contains("Extractive summary (no model loaded)"), qPrintable(text.left(400)));
    QVERIFY2(text.contains("§1"), qPrintable(text.left(800)));
    QVERIFY(window->exportTo(tmp.filePath("summary.md")));
    QFile md(tmp.filePath("summary.md"));
    QVERIFY(md.open(QIODevice::ReadOnly));
    QVERIFY(md.readAll().contains("Summary of contracts/services-agreement.pdf"));
    QVERIFY2(window->status()->text().contains("summary.md"), qPrintable(window->status()->text()));
    QVERIFY(!window->exportTo(tmp.filePath("summary.txt")));
    QVERIFY2(window->status()->text().contains(".md, .html or .pdf"), qPrintable(window->status()->text()));
    QVERIFY(!QFile::exists(tmp.filePath("summary.txt")));
  }

  void withAModelTheSummaryIsTheModels() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    QVERIFY(windowWithTheContractSelected(w) > 0);
    auto s = w.settings();
    s.threads = 1;
    w.setSettings(s);
    QSignalSpy model(&w, &folio::ui::MainWindow::modelChanged);
    w.loadModel(kModel);
    QTRY_COMPARE_WITH_TIMEOUT(model.count(), 1, 60000);
    QVERIFY(w.modelLoaded());
    auto* window = summarize(w);
    QVERIFY(window);
    const QString text = window->view()->toPlainText();
    QVERIFY2(text.contains("Document summary (tiny-f32-h4-ls"), qPrintable(text.left(400)));
  }

  // Library > Summarize collection: every document's summary and the collection's (what questions over a
  // large scope fall back on), shown with each document as a source.
  void collectionSummaryOpensWithEveryDocument() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    QVERIFY(windowWithTheContractSelected(w) > 0);
    w.libraryView()->setCurrentIndex(w.libraryModel()->index(0, 0));  // the "samples" collection row
    const int documents = w.libraryModel()->rowCount(w.libraryModel()->index(0, 0));
    QSignalSpy done(w.summaryService(), &folio::ui::SummaryService::summarized);
    QSignalSpy failed(w.summaryService(), &folio::ui::SummaryService::failed);
    w.summarizeCollection();
    QVERIFY(QTest::qWaitFor([&] { return !done.isEmpty() || !failed.isEmpty(); }, 120000));
    QVERIFY2(failed.isEmpty(), qPrintable(failed.isEmpty() ? QString() : failed.at(0).at(0).toString()));
    QCOMPARE(done.at(0).at(0).toLongLong(), 0);
    const auto report = done.at(0).at(1).value<folio::app::Report>();
    QCOMPARE(QString::fromStdString(report.title), QString("Summary of collection samples"));
    QCOMPARE(report.sections.size(), size_t{1});
    QVERIFY(!report.sections[0].body.empty());
    QCOMPARE(static_cast<int>(report.sections[0].sources.size()), documents);
    QCoreApplication::processEvents();
    auto* window = w.findChild<folio::ui::SummaryWindow*>();
    QVERIFY(window);
    QVERIFY(window->view()->toPlainText().contains("Summary of collection samples"));
  }

  void withNothingSelectedItSaysWhatToDo() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    QSignalSpy busy(w.summaryService(), &folio::ui::SummaryService::busyChanged);
    w.summarizeSelected();
    QVERIFY(w.statusBar()->currentMessage().startsWith("Select a document"));
    QCOMPARE(busy.count(), 0);
  }
};

QTEST_MAIN(SummaryTest)
#include "test_summary.moc"
