// Library › Review documents… (Ctrl+Shift+R): three small contracts ingested into a fresh library, the
// review window opened over the ask panel's scope, the selection or a collection; questions typed (and
// a bad one refused), Run, the grid of documents × questions with the clause that answers or "not
// found" (muted), the found line and the engine, sorting, a found cell opening its passage in the
// reader (Enter, double-click), "Only documents with a finding", CSV export, the questions remembered;
// Stop keeps the cells asked ("not asked (stopped)" for the rest), closing while it runs drops the run.
#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSemaphore>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeView>
#include <QtTest>
#include <atomic>
#include <filesystem>
#include <thread>
#include <fstream>

#include "ui/ask_panel.h"
#include "ui/elided_label.h"
#include "ui/library_model.h"
#include "ui/library_panel.h"
#include "ui/main_window.h"
#include "ui/progress_relay.h"
#include "ui/reader_panel.h"
#include "ui/review_table_model.h"
#include "ui/review_window.h"
#include "tests/gui/fresh_window.h"
#include "tests/gui/ingest_watch.h"
#include "tests/gui/screenshot.h"

namespace {

namespace fs = std::filesystem;
using folio::test::optionsIn;
using folio::ui::ReviewWindow;

void write(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

// Clauses no question asks about, so that a cell quotes its clause's sentences rather than the whole
// (short) document.
#define FOLIO_BOILERPLATE                                                                                          \
  "Notices. Every notice under this Agreement is given in writing and delivered by hand or by registered post "  \
  "to the address of the party stated above, and takes effect on the day it is received.\n\n"                   \
  "Entire Agreement. This Agreement sets out everything the parties agreed about its subject and replaces every " \
  "earlier arrangement, understanding or representation between them about that subject.\n\n"

// A governing-law clause and a term, no confidentiality.
const char kAlpha[] =
    "MASTER SERVICES AGREEMENT\n\n1. Services\n\nThe Supplier provides the support services described in the "
    "order form.\n\n2. Governing Law\n\nThis Agreement is governed by the laws of England and Wales.\n\n3. Term\n\n"
    "This Agreement runs for two years from the Effective Date.\n\n4. " FOLIO_BOILERPLATE;
// Both a confidentiality and a governing-law clause.
const char kBeta[] =
    "MUTUAL NON-DISCLOSURE AGREEMENT\n\n1. Confidentiality\n\nEach party keeps the Confidential Information of the "
    "other party secret and uses it only to evaluate the proposed transaction.\n\n2. Governing Law\n\nThe laws of "
    "the State of New York govern this Agreement.\n\n3. " FOLIO_BOILERPLATE;
// Neither.
const char kGamma[] =
    "LEASE\n\n1. Rent\n\nThe Tenant pays the rent monthly in advance.\n\n2. Premises\n\nThe Landlord lets the "
    "second floor of the building to the Tenant.\n\n3. " FOLIO_BOILERPLATE;

// `n` contracts of a few clauses each (which clauses, and their words, vary) into "many": a scope that
// takes a review long enough to stop it while it runs.
bool ingestMany(folio::ui::MainWindow& w, const QTemporaryDir& tmp, int n) {
  const fs::path root = fs::path(tmp.path().toStdString()) / "many";
  const char* clauses[] = {"Governing Law. This Agreement is governed by the laws of %s.",
                           "Term. This Agreement runs for %s years from the Effective Date.",
                           "Confidentiality. Each party keeps the other's information secret for %s years.",
                           "Assignment. Neither party may assign this Agreement without consent, save to %s.",
                           "Payment. The Customer pays each invoice within %s days of receipt."};
  const char* words[] = {"England", "three", "Delaware", "five", "an affiliate", "thirty", "France", "sixty"};
  for (int i = 0; i < n; ++i) {
    std::string text = "AGREEMENT " + std::to_string(i) + "\n\n";
    for (int k = 0; k < 5; ++k) {
      if ((i + k) % 3 == 0) continue;
      char clause[256];
      std::snprintf(clause, sizeof clause, clauses[k], words[(i * 7 + k) % 8]);
      text += std::to_string(k + 1) + ". " + clause + "\n\n";
    }
    write(root / ("contract_" + std::to_string(1000 + i) + ".txt"), text);
  }
  folio::test::IngestWatch ingest(w.libraryService());
  w.addPaths({QString::fromStdString(root.string())}, "many");
  return ingest.waitFinished() && QTest::qWaitFor([&] { return w.libraryModel()->documentCount() == n; }, 20000);
}

struct Contracts {
  qint64 alpha = 0, beta = 0, gamma = 0;
};

// contracts/{alpha_msa,beta_nda,gamma_lease}.txt into "deals".
Contracts ingestContracts(folio::ui::MainWindow& w, const QTemporaryDir& tmp) {
  const fs::path root = fs::path(tmp.path().toStdString()) / "contracts";
  write(root / "alpha_msa.txt", kAlpha);
  write(root / "beta_nda.txt", kBeta);
  write(root / "gamma_lease.txt", kGamma);
  folio::test::IngestWatch ingest(w.libraryService());
  w.addPaths({QString::fromStdString(root.string())}, "deals");
  if (!ingest.waitFinished()) return {};
  if (!QTest::qWaitFor([&] { return w.libraryModel()->documentCount() == 3; }, 10000)) return {};
  Contracts c;
  const QModelIndex deals = w.libraryModel()->index(0, 0);
  for (int r = 0; r < w.libraryModel()->rowCount(deals); ++r) {
    const QModelIndex doc = w.libraryModel()->index(r, 0, deals);
    const QString path = doc.data(folio::ui::LibraryModel::PathRole).toString();
    const qint64 id = doc.data(folio::ui::LibraryModel::DocumentIdRole).toLongLong();
    if (path.endsWith("alpha_msa.txt")) c.alpha = id;
    if (path.endsWith("beta_nda.txt")) c.beta = id;
    if (path.endsWith("gamma_lease.txt")) c.gamma = id;
  }
  return c;
}

void select(folio::ui::MainWindow& w, const QList<qint64>& ids) {
  auto* selection = w.libraryView()->selectionModel();
  selection->clearSelection();
  for (qint64 id : ids)
    selection->select(w.libraryModel()->indexOfDocument(id), QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

// Runs the window's questions and waits for the table (or the failure); false when none came.
bool runAndWait(ReviewWindow* window, int timeout_ms = 60000) {
  QSignalSpy shown(window, &ReviewWindow::reviewShown);
  QSignalSpy failed(window, &ReviewWindow::reviewFailed);
  QTest::mouseClick(window->runButton(), Qt::LeftButton);
  if (!QTest::qWaitFor([&] { return !shown.isEmpty() || !failed.isEmpty(); }, timeout_ms)) return false;
  if (!failed.isEmpty()) qWarning() << window->status()->text();
  return !shown.isEmpty();
}

QString cell(ReviewWindow* window, int row, int column) {
  return window->model()->index(row, column).data().toString();
}

// The row of the document whose path ends with `name` (-1 when none).
int rowOf(ReviewWindow* window, const QString& name) {
  for (int r = 0; r < window->model()->rowCount(); ++r)
    if (cell(window, r, 0).endsWith(name)) return r;
  return -1;
}

}  // namespace

class ReviewTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void theGridAnswersEachQuestionOfEachDocument() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    w.show();
    const Contracts c = ingestContracts(w, tmp);
    QVERIFY(c.alpha > 0 && c.beta > 0 && c.gamma > 0);
    QAction* review = w.libraryPanel()->reviewAction();
    QCOMPARE(review->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    review->trigger();
    auto* window = w.findChild<ReviewWindow*>();
    QVERIFY(window);
    QCOMPARE(window->windowTitle(), QString("Review: all documents"));
    QVERIFY(!window->exportButton()->isEnabled());  // nothing to export yet
    QVERIFY(!window->summary()->isVisibleTo(window) && !window->foundLine()->isVisibleTo(window));

    // The editor: empty says what to do; a question too long is refused with its line.
    QVERIFY(!window->runButton()->isEnabled());
    window->questionsEdit()->setPlainText("# due diligence\nGoverning law\n" + QString(600, 'x'));
    QVERIFY2(window->questionsStatus()->text().contains("line 3 is longer than 500 bytes"),
             qPrintable(window->questionsStatus()->text()));
    QVERIFY(!window->runButton()->isEnabled());
    QVERIFY(!window->run());
    window->questionsEdit()->setPlainText("# due diligence\nGoverning law\n\nConfidentiality\n");
    QCOMPARE(window->questionsStatus()->text(), QString("2 questions, asked of all documents"));
    QVERIFY(window->runButton()->isEnabled());

    QVERIFY(runAndWait(window));
    QVERIFY(window->table());
    QVERIFY(!window->table()->stopped);
    QVERIFY(!window->busy());
    QVERIFY(!window->progressBar()->isVisibleTo(window));
    QVERIFY(!window->stopButton()->isVisibleTo(window));
    QCOMPARE(window->model()->rowCount(), 3);
    QCOMPARE(window->model()->columnCount(), 3);
    QCOMPARE(window->model()->headerData(0, Qt::Horizontal).toString(), QString("Document"));
    QCOMPARE(window->model()->headerData(1, Qt::Horizontal).toString(), QString("Governing law"));
    QCOMPARE(window->model()->headerData(2, Qt::Horizontal).toString(), QString("Confidentiality"));
    // By path: alpha, beta, gamma.
    QVERIFY(cell(window, 0, 0).endsWith("alpha_msa.txt"));
    QVERIFY(cell(window, 2, 0).endsWith("gamma_lease.txt"));
    QVERIFY2(cell(window, 0, 1).contains("England and Wales"), qPrintable(cell(window, 0, 1)));
    QCOMPARE(cell(window, 0, 2), QString("not found"));
    QVERIFY2(cell(window, 1, 1).contains("State of New York"), qPrintable(cell(window, 1, 1)));
    QVERIFY2(cell(window, 1, 2).contains("Confidential Information"), qPrintable(cell(window, 1, 2)));
    QCOMPARE(cell(window, 2, 1), QString("not found"));
    QCOMPARE(cell(window, 2, 2), QString("not found"));
    // "not found" muted; a found cell in the view's own colour, its tooltip the clause and where it lies.
    QCOMPARE(window->model()->index(2, 1).data(Qt::ForegroundRole).value<QBrush>().color(), QColor(0x80, 0x80, 0x80));
    QVERIFY(!window->model()->index(0, 1).data(Qt::ForegroundRole).isValid());
    const QString tip = window->model()->index(0, 1).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains("England and Wales") && tip.contains("lines"), qPrintable(tip));
    QCOMPARE(window->foundLine()->fullText(), QString("Found: Governing law 2/3 · Confidentiality 1/3"));
    QCOMPARE(window->model()->headerData(1, Qt::Horizontal, Qt::ToolTipRole).toString(),
             QString("Governing law: found in 2 of 3 documents"));
    QVERIFY2(window->engineLabel()->text().startsWith("Extractive (no model loaded)"), qPrintable(window->engineLabel()->text()));
    QVERIFY2(window->summary()->text().startsWith("3 documents × 2 questions"), qPrintable(window->summary()->text()));
    QVERIFY(window->exportButton()->isEnabled());
    QVERIFY(window->summary()->isVisibleTo(window) && window->foundLine()->isVisibleTo(window));
    // Every column readable: the questions at least 220 px wide, the paths not clipped.
    for (int col = 1; col <= 2; ++col) QVERIFY(window->grid()->columnWidth(col) >= 220);
    QVERIFY(window->grid()->columnWidth(0) >= window->grid()->fontMetrics().horizontalAdvance(cell(window, 2, 0)));
    saveScreenshot(window, "review_window.png");

    // Enter on a found cell opens its passage in the reader; double-click does too.
    QSignalSpy open(window, &ReviewWindow::openRequested);
    window->grid()->setFocus();
    window->grid()->setCurrentIndex(window->model()->index(0, 1));
    QTest::keyClick(window->grid(), Qt::Key_Return);
    QTRY_COMPARE(open.count(), 1);
    QVERIFY(window->isVisible());  // Enter pressed no button of the window
    auto passage = open.at(0).at(0).value<folio::app::Evidence>();
    QCOMPARE(passage.document_id, c.alpha);
    QCOMPARE(w.reader()->location().document_id, c.alpha);
    QVERIFY(passage.line_first > 0);
    QCOMPARE(w.reader()->location().line_first, passage.line_first);
    const QRect beta_cell = window->grid()->visualRect(window->model()->index(1, 2));
    // As a person does: a press (the view opens only the cell the double-click's first press was on), then the double-click.
    QTest::mouseClick(window->grid()->viewport(), Qt::LeftButton, {}, beta_cell.center());
    QTest::mouseDClick(window->grid()->viewport(), Qt::LeftButton, {}, beta_cell.center());
    QTRY_COMPARE(open.count(), 2);
    QCOMPARE(w.reader()->location().document_id, c.beta);
    // A path opens its document.
    QVERIFY(window->openCell(window->model()->index(2, 0)));
    QCOMPARE(w.reader()->location().document_id, c.gamma);
    // A "not found" cell has nothing to open: the window says so.
    QVERIFY(!window->openCell(window->model()->index(2, 1)));
    QCOMPARE(open.count(), 2);
    QVERIFY2(window->status()->text().contains("gamma_lease.txt: not found"), qPrintable(window->status()->text()));

    // Sorting: by a question, found cells first; by document, descending.
    window->grid()->sortByColumn(2, Qt::AscendingOrder);
    QVERIFY(cell(window, 0, 0).endsWith("beta_nda.txt"));
    window->grid()->sortByColumn(0, Qt::DescendingOrder);
    QVERIFY(cell(window, 0, 0).endsWith("gamma_lease.txt"));
    QVERIFY(cell(window, 2, 0).endsWith("alpha_msa.txt"));
    QCOMPARE(cell(window, 0, 1), QString("not found"));
    // A run keeps the sort.
    QVERIFY(runAndWait(window));
    QVERIFY(cell(window, 0, 0).endsWith("gamma_lease.txt"));
    window->grid()->sortByColumn(0, Qt::AscendingOrder);

    // CSV: a BOM, the header, a row per document with each cell and where it lies.
    const QString csv_path = tmp.filePath("review.csv");
    QVERIFY(window->exportTo(csv_path));
    QVERIFY2(window->status()->text().contains("review.csv"), qPrintable(window->status()->text()));
    QFile csv(csv_path);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray bytes = csv.readAll();
    QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
    const QList<QByteArray> lines = bytes.mid(3).trimmed().split('\n');
    QCOMPARE(lines.size(), 4);
    QVERIFY2(lines[0].startsWith("Document,") && lines[0].contains("Governing law") && lines[0].contains("Confidentiality"),
             lines[0].constData());
    QVERIFY2(lines[1].startsWith("contracts/alpha_msa.txt,") || lines[1].startsWith("alpha_msa.txt,"), lines[1].constData());
    QVERIFY2(lines[1].contains("England and Wales") && lines[1].contains("not found"), lines[1].constData());
    QVERIFY2(lines[3].count("not found") == 2, lines[3].constData());
    // Export… offers CSV first; a name typed without a suffix takes the chosen format's.
    QStringList filters;
    QTimer::singleShot(0, [&] {
      auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
      if (!dialog) return;
      filters = dialog->nameFilters();
      dialog->selectFile(tmp.filePath("grid"));
      QMetaObject::invokeMethod(dialog, "accept");  // protected in QFileDialog, a slot of QDialog
    });
    QTest::mouseClick(window->exportButton(), Qt::LeftButton);
    QCOMPARE(filters, QStringList({"CSV (*.csv)", "PDF (*.pdf)", "HTML (*.html)", "Markdown (*.md)"}));
    QVERIFY2(QFile::exists(tmp.filePath("grid.csv")), qPrintable(window->status()->text()));
    QVERIFY(!window->exportTo(tmp.filePath("review.txt")));
    QVERIFY2(window->status()->text().contains(".csv"), qPrintable(window->status()->text()));
    QVERIFY(window->exportTo(tmp.filePath("review.md")));

    // Only documents with a finding: the lease is left out, and said to be.
    QTest::mouseClick(window->matchingOnlyBox(), Qt::LeftButton);
    QVERIFY(window->matchingOnlyBox()->isChecked());
    QVERIFY(runAndWait(window));
    QCOMPARE(window->model()->rowCount(), 2);
    QCOMPARE(rowOf(window, "gamma_lease.txt"), -1);
    QVERIFY2(window->summary()->text().contains("1 without a finding left out"), qPrintable(window->summary()->text()));

    // What to remember is handed on as it changes (the main window may close with this one open).
    QCOMPARE(w.settings().review_questions, QString("# due diligence\nGoverning law\n\nConfidentiality\n"));
    QVERIFY(w.settings().review_matching_only);
    window->resize(1000, 700);
    QCOMPARE(w.settings().review_geometry, window->saveGeometry());
    QPointer<ReviewWindow> first = window;
    window->close();
    // The next window starts from them.
    QTRY_VERIFY(first.isNull());  // deleted on close
    ReviewWindow* again = w.reviewDocuments();
    QVERIFY(again);
    QCOMPARE(again->questionsEdit()->toPlainText(), QString("# due diligence\nGoverning law\n\nConfidentiality\n"));
    QVERIFY(again->matchingOnlyBox()->isChecked());
    QCOMPARE(again->size(), QSize(1000, 700));
    // And they last across runs of Folio (QSettings).
    QSettings file(tmp.filePath("settings.ini"), QSettings::IniFormat);
    w.settings().save(file);
    file.sync();
    QSettings read(tmp.filePath("settings.ini"), QSettings::IniFormat);
    const auto loaded = folio::ui::GuiSettings::load(read);
    QCOMPARE(loaded.review_questions, w.settings().review_questions);
    QVERIFY(loaded.review_matching_only);
    QCOMPARE(loaded.review_geometry, w.settings().review_geometry);
  }

  void theScopeIsTheSelectionOrTheAskPanelsCollection() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    const Contracts c = ingestContracts(w, tmp);
    QVERIFY(c.alpha > 0);
    // Two selected: those two, by the shortcut in the library view.
    select(w, {c.alpha, c.gamma});
    w.libraryView()->setFocus();
    QTest::keyClick(w.libraryView(), Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
    QPointer<ReviewWindow> window = w.findChild<ReviewWindow*>();
    QVERIFY(window);
    QCOMPARE(window->windowTitle(), QString("Review: 2 selected documents"));
    QTest::mouseClick(window->checklistButton(), Qt::LeftButton);
    const int checklist = static_cast<int>(folio::app::contractChecklist().size());
    QCOMPARE(window->questionsEdit()->toPlainText().split('\n').size(), checklist);
    QVERIFY(window->questionsEdit()->toPlainText().contains("Governing law"));
    QVERIFY(runAndWait(window));
    QCOMPARE(window->model()->rowCount(), 2);
    QCOMPARE(window->model()->columnCount(), 1 + checklist);
    QCOMPARE(rowOf(window, "beta_nda.txt"), -1);
    window->close();
    QTRY_VERIFY(window.isNull());

    // One selected: the ask panel's scope, its collection.
    select(w, {c.alpha});
    w.askPanel()->setScope("deals");
    w.libraryPanel()->reviewAction()->trigger();
    window = w.findChild<ReviewWindow*>();
    QVERIFY(window);
    QCOMPARE(window->windowTitle(), QString("Review: collection “deals”"));
    // Questions from a file.
    const QString file = tmp.filePath("questions.txt");
    write(file.toStdString(), "# from a file\nTerm\nRent\n");
    QVERIFY(window->loadQuestions(file));
    QVERIFY(!window->loadQuestions(tmp.filePath("absent.txt")));
    saveScreenshot(window, "review_window_before_run.png");
    QVERIFY(runAndWait(window));
    QCOMPARE(window->model()->rowCount(), 3);
    QCOMPARE(window->model()->headerData(2, Qt::Horizontal).toString(), QString("Rent"));
    QVERIFY2(cell(window, rowOf(window, "gamma_lease.txt"), 2).contains("monthly in advance"),
             qPrintable(cell(window, rowOf(window, "gamma_lease.txt"), 2)));
    window->close();

    // The library view's context menu offers it.
    bool offered = false;
    QTimer::singleShot(0, [&] {
      if (auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) {
        offered = menu->actions().contains(w.libraryPanel()->reviewAction());
        menu->close();
      }
    });
    Q_EMIT w.libraryView()->customContextMenuRequested(QPoint(10, 10));
    QVERIFY(offered);
  }

  // The relay between the worker and the bar: 10,000 reports from a thread reach the GUI thread as a
  // handful of deliveries, the last report always among them; none after its receiver is gone.
  void progressIsCoalescedAndTheLastReportShown() {
    QObject receiver;
    std::vector<int64_t> shown;
    auto relay = folio::ui::ProgressRelay::create(&receiver, [&](const folio::app::SummaryProgress& p) { shown.push_back(p.done); });
    std::thread worker([relay] {
      for (int64_t i = 1; i <= 10000; ++i) {
        folio::app::SummaryProgress p;
        p.done = i;
        p.total = 10000;
        relay->post(p);
      }
    });
    worker.join();
    QTRY_VERIFY(!shown.empty() && shown.back() == 10000);
    QTest::qWait(2 * folio::ui::ProgressRelay::kDefaultIntervalMs);
    QCOMPARE(relay->posted(), 10000);
    QVERIFY2(shown.size() <= 5, qPrintable(QString::number(shown.size())));
    QVERIFY(std::is_sorted(shown.begin(), shown.end()));
    // A report after the receiver went is dropped.
    auto* gone = new QObject;
    int late = 0;
    auto orphan = folio::ui::ProgressRelay::create(gone, [&](const folio::app::SummaryProgress&) { ++late; });
    orphan->post({});
    delete gone;
    QTest::qWait(3 * folio::ui::ProgressRelay::kDefaultIntervalMs);
    QCOMPARE(late, 0);
  }

  // With a model loaded, a found cell is the model's answer read from the clause (not the clause
  // quoted), the engine line names the model; a document with no matching clause still says "not found"
  // (no call is made for it).
  void withAModelTheCellsAreItsAnswers() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    const Contracts c = ingestContracts(w, tmp);
    QVERIFY(c.alpha > 0);
    auto s = w.settings();
    s.threads = 1;
    w.setSettings(s);
    QSignalSpy model(&w, &folio::ui::MainWindow::modelChanged);
    w.loadModel(QString(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls");
    QTRY_COMPARE_WITH_TIMEOUT(model.count(), 1, 60000);
    QVERIFY(w.modelLoaded());
    ReviewWindow* window = w.reviewDocuments();
    QVERIFY(window);
    window->questionsEdit()->setPlainText("Governing law");
    QVERIFY(runAndWait(window, 240000));
    QVERIFY2(window->engineLabel()->text().startsWith("Answers of tiny-f32-h4-ls"), qPrintable(window->engineLabel()->text()));
    QVERIFY(window->table()->usage.calls == 2);  // alpha and beta; the lease has no such clause
    QCOMPARE(cell(window, rowOf(window, "gamma_lease.txt"), 1), QString("not found"));
    const folio::app::ReviewCell* answered = window->model()->cellAt(window->model()->index(rowOf(window, "alpha_msa.txt"), 1));
    QVERIFY(answered && answered->passage);
    QVERIFY(!answered->text.empty());
    QCOMPARE(cell(window, rowOf(window, "alpha_msa.txt"), 1).left(300),
             QString::fromStdString(answered->text).replace('\n', ' ').left(300));
    QVERIFY(!QString::fromStdString(answered->text).contains("This Agreement is governed by the laws of England and Wales."));
    // Its passage still opens in the reader.
    QSignalSpy open(window, &ReviewWindow::openRequested);
    QVERIFY(window->openCell(window->model()->index(rowOf(window, "alpha_msa.txt"), 1)));
    QCOMPARE(open.count(), 1);
    QCOMPARE(w.reader()->location().document_id, c.alpha);
  }

  // Stop while it runs (100 contracts × 50 questions, the worker held at the second question until Stop): the bar has shown the cells done and the question
  // asked, the run ends, the cells asked before are shown and the others say "not asked (stopped)".
  // Closing the window while it runs: the worker's end reaches nothing.
  void stopKeepsWhatWasAskedAndClosingDropsTheRun() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    QVERIFY(ingestMany(w, tmp, 100));
    QPointer<ReviewWindow> window = w.reviewDocuments();
    QVERIFY(window);
    window->show();
    QString questions;
    const char* topics[] = {"Governing law", "Term", "Confidentiality", "Assignment", "Payment"};
    for (int k = 0; k < 50; ++k) questions += QString("%1 %2\n").arg(topics[k % 5]).arg(k < 5 ? "" : "clause " + QString::number(k));
    window->questionsEdit()->setPlainText(questions);
    QSignalSpy shown(window, &ReviewWindow::reviewShown);
    QSemaphore held, go;
    std::atomic<bool> once{false};
    window->setWorkerObserver([&](const folio::app::SummaryProgress& p) {
      if (p.done == 0 || once.exchange(true)) return;
      held.release();
      go.acquire();
    });
    QElapsedTimer clock;
    clock.start();
    QVERIFY(window->run());
    QVERIFY(window->busy());
    QVERIFY(window->progressBar()->isVisibleTo(window));
    QVERIFY(window->stopButton()->isVisibleTo(window));
    QVERIFY(!window->runButton()->isVisibleTo(window));
    QVERIFY(!window->questionsEdit()->isEnabled());
    // The bar counts cells (100 × 50) and names the question being asked.
    QTRY_VERIFY_WITH_TIMEOUT(held.available() == 1, 30000);
    QTRY_VERIFY(window->progressBar()->value() > 0);
    QVERIFY(window->busy());
    const qint64 progress_ms = clock.elapsed();
    QCOMPARE(window->progressBar()->maximum(), 5000);
    QVERIFY2(window->progressLabel()->text().contains("100/5,000 cells"), qPrintable(window->progressLabel()->text()));
    QVERIFY2(window->progressLabel()->text().startsWith("Term"), qPrintable(window->progressLabel()->text()));
    QTest::mouseClick(window->stopButton(), Qt::LeftButton);
    QCOMPARE(window->status()->text(), QString("Stopping…"));
    go.release();
    QTRY_VERIFY_WITH_TIMEOUT(!window->busy(), 20000);
    qInfo().noquote() << QString("progress shown after %1 ms, stopped after %2 ms; %3 reports, %4 shown")
                             .arg(progress_ms)
                             .arg(clock.elapsed())
                             .arg(window->progressPosted())
                             .arg(window->progressShown());
    QCOMPARE(shown.count(), 1);
    QVERIFY(window->table());
    QVERIFY(window->table()->stopped);
    QCOMPARE(window->model()->rowCount(), 100);
    QCOMPARE(window->model()->columnCount(), 51);
    QCOMPARE(cell(window, 0, 50), QString("not asked (stopped)"));
    QVERIFY(cell(window, 0, 1) != "not asked (stopped)");  // the first question was asked
    QCOMPARE(cell(window, 0, 2), QString("not asked (stopped)"));
    QVERIFY2(window->summary()->text().contains("stopped: 100 of 5,000 cells asked"), qPrintable(window->summary()->text()));
    // The questions never asked say so, not "0/100".
    const QString found = window->foundLine()->fullText();
    QVERIFY2(found.startsWith("Found: Governing law ") && found.contains(" · Term not asked · ") &&
                 found.endsWith("Payment clause 49 not asked"),
             qPrintable(found));
    QVERIFY2(window->status()->text().startsWith("Stopped before the end"), qPrintable(window->status()->text()));
    QVERIFY(window->runButton()->isVisibleTo(window));
    QVERIFY(!window->stopButton()->isVisibleTo(window));
    QVERIFY(!window->progressBar()->isVisibleTo(window));
    QVERIFY(window->exportButton()->isEnabled());  // what was asked can be exported
    saveScreenshot(window, "review_window_stopped.png");
    QVERIFY(window->exportTo(tmp.filePath("stopped.csv")));
    QFile csv(tmp.filePath("stopped.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QVERIFY(csv.readAll().contains("not asked (stopped)"));

    window->setWorkerObserver({});  // the test's locals are gone when the dropped run ends
    QVERIFY(window->run());
    QVERIFY(window->busy());
    window->close();
    QTRY_VERIFY(window.isNull());
    QTest::qWait(300);  // the worker's end reaches nothing
  }

  // FOLIO_REVIEW_BENCH=N (1 = 300): N contracts × 12 questions (the contract checklist and "Notices")
  // reviewed through the window; prints the time from Run to the grid on screen, the longest the GUI
  // thread stalled meanwhile (progress, the table handed over and shown), and the progress coalescing.
  // FOLIO_REVIEW_BENCH_MODEL=1: with the tiny fixture model loaded (a report per cell answered).
  void benchAReviewOfManyContracts() {
    if (!qEnvironmentVariableIsSet("FOLIO_REVIEW_BENCH")) QSKIP("set FOLIO_REVIEW_BENCH=N to review N contracts");
    const int n = std::max(2, qEnvironmentVariableIntValue("FOLIO_REVIEW_BENCH") == 1 ? 300 : qEnvironmentVariableIntValue("FOLIO_REVIEW_BENCH"));
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    QVERIFY(ingestMany(w, tmp, n));
    if (qEnvironmentVariableIsSet("FOLIO_REVIEW_BENCH_MODEL")) {
      QSignalSpy model(&w, &folio::ui::MainWindow::modelChanged);
      w.loadModel(QString(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls");
      QTRY_COMPARE_WITH_TIMEOUT(model.count(), 1, 60000);
    }
    ReviewWindow* window = w.reviewDocuments();
    QVERIFY(window);
    QTest::mouseClick(window->checklistButton(), Qt::LeftButton);
    window->questionsEdit()->appendPlainText("Notices");
    QElapsedTimer clock, since_tick;
    qint64 stall_ms = 0;
    QTimer ticks;
    QObject::connect(&ticks, &QTimer::timeout, [&] { stall_ms = std::max(stall_ms, since_tick.restart()); });
    clock.start();
    since_tick.start();
    ticks.start(5);
    QVERIFY(runAndWait(window, 600000));
    const qint64 shown_ms = clock.elapsed();
    QTest::qWait(20);
    ticks.stop();
    QCOMPARE(window->model()->rowCount(), n);
    QCOMPARE(window->model()->columnCount(), 13);
    clock.restart();
    window->grid()->sortByColumn(6, Qt::AscendingOrder);
    const qint64 sort_ms = clock.elapsed();
    qInfo().noquote() << QString("%1 documents × 12 questions: on screen %2 ms after Run (the review %3 s), the GUI "
                                 "thread's longest stall %4 ms; %5 progress reports, %6 shown; sorting by a question %7 ms; "
                                 "%8 model calls")
                             .arg(n)
                             .arg(shown_ms)
                             .arg(window->table()->elapsed_s, 0, 'f', 2)
                             .arg(stall_ms)
                             .arg(window->progressPosted())
                             .arg(window->progressShown())
                             .arg(sort_ms)
                             .arg(window->table()->usage.calls);
    saveScreenshot(window, "review_window_many.png");
  }
};

QTEST_MAIN(ReviewTest)
#include "test_review.moc"
