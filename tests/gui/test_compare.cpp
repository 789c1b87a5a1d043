// Library › Compare versions: two versions of an agreement ingested into a fresh library, both selected,
// the action (enabled only for two documents) opens a comparison window with the file saved first as
// the old version: the summary line, the redline (the deletion struck through in red), Swap, each
// difference opening its chunk in the reader (a removed clause the old version's), Export; a document
// without text is named with the reason in the window; Stop, or closing it, while it runs drops the run.
#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTimer>
#include <QTreeView>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "app/compare/comparison_format.h"
#include "ingest/library/library.h"
#include "ui/comparison_window.h"
#include "ui/library_model.h"
#include "ui/library_panel.h"
#include "ui/main_window.h"
#include "ui/reader_panel.h"
#include "tests/gui/fresh_window.h"
#include "tests/gui/ingest_watch.h"

namespace {

namespace fs = std::filesystem;
using folio::test::optionsIn;
using folio::ui::ComparisonWindow;

// A schedule long enough that the clauses after it are chunks of their own (512 tokens a chunk).
std::string schedule() {
  std::string s = "1.3 Schedule. The Supplier delivers the items listed here:";
  for (int i = 1; i <= 160; ++i) s += " item " + std::to_string(i) + " by week " + std::to_string(i + 2) + ";";
  return s + "\n\n";
}

std::string oldVersion() {
  return "SUPPLY AGREEMENT\n\n1. Payment\n\n1.1 Fees. The Customer shall pay each invoice within thirty (30) days of "
         "receipt.\n\n1.2 Late Payment. Late payments bear interest at 1% a month.\n\n" + schedule() +
         "2. Insurance\n\n2.1 Cover. The Supplier shall maintain professional indemnity insurance of at least EUR "
         "1,000,000.\n\n3. Term\n\n3.1 Duration. This agreement runs for two years from the Effective Date.\n\n3.2 "
         "Termination. Either party may terminate this agreement on ninety days written notice to the other party.\n";
}

// thirty → sixty, clause 2 removed (3 renumbered 2).
std::string newVersion() {
  return "SUPPLY AGREEMENT\n\n1. Payment\n\n1.1 Fees. The Customer shall pay each invoice within sixty (60) days of "
         "receipt.\n\n1.2 Late Payment. Late payments bear interest at 1% a month.\n\n" + schedule() +
         "2. Term\n\n2.1 Duration. This agreement runs for two years from the Effective Date.\n\n2.2 Termination. "
         "Either party may terminate this agreement on ninety days written notice to the other party.\n";
}

void write(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

struct Versions {
  qint64 old_id = 0, new_id = 0, blob_id = 0;
};

// versions/final/supply.txt (the new version, ingested and stored first) and versions/sent/supply.txt
// (the old one, saved two days earlier, ingested after it), and a binary file the ingest skips; into "deals".
Versions ingestVersions(folio::ui::MainWindow& w, const QTemporaryDir& tmp) {
  const fs::path root = fs::path(tmp.path().toStdString()) / "versions";
  write(root / "final" / "supply.txt", newVersion());
  write(root / "blob.bin", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16) + std::string(4000, '\0'));
  folio::test::IngestWatch ingest(w.libraryService());
  w.addPaths({QString::fromStdString(root.string())}, "deals");
  if (!ingest.waitFinished()) return {};
  write(root / "sent" / "supply.txt", oldVersion());
  fs::last_write_time(root / "sent" / "supply.txt", fs::file_time_type::clock::now() - std::chrono::hours(48));
  w.addPaths({QString::fromStdString(root.string())}, "deals");
  if (!ingest.waitFinished(2)) return {};
  if (!QTest::qWaitFor([&] { return w.libraryModel()->documentCount() == 3; }, 10000)) return {};
  Versions v;
  const QModelIndex deals = w.libraryModel()->index(0, 0);
  for (int r = 0; r < w.libraryModel()->rowCount(deals); ++r) {
    const QModelIndex doc = w.libraryModel()->index(r, 0, deals);
    const QString path = doc.data(folio::ui::LibraryModel::PathRole).toString();
    const qint64 id = doc.data(folio::ui::LibraryModel::DocumentIdRole).toLongLong();
    if (path.endsWith("final/supply.txt")) v.new_id = id;
    if (path.endsWith("sent/supply.txt")) v.old_id = id;
    if (path.endsWith("blob.bin")) v.blob_id = id;
  }
  return v;
}

void select(folio::ui::MainWindow& w, const QList<qint64>& ids) {
  auto* selection = w.libraryView()->selectionModel();
  selection->clearSelection();
  for (qint64 id : ids)
    selection->select(w.libraryModel()->indexOfDocument(id), QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

// The comparison window the action opened, once it shows a comparison or failed (null when none came).
ComparisonWindow* openedComparison(folio::ui::MainWindow& w, bool expect_failure = false) {
  auto* window = w.findChild<ComparisonWindow*>();
  if (!window) return nullptr;
  QSignalSpy shown(window, &ComparisonWindow::comparisonShown);
  QSignalSpy failed(window, &ComparisonWindow::comparisonFailed);
  if (window->busy() && !QTest::qWaitFor([&] { return !shown.isEmpty() || !failed.isEmpty(); }, 60000)) return nullptr;
  if (!expect_failure && window->comparison() == nullptr) {
    qWarning() << window->status()->text();
    return nullptr;
  }
  return window;
}

// The id of the stored chunk of `document` that holds `text` (0 when none).
qint64 chunkHolding(const QTemporaryDir& tmp, qint64 document, const std::string& text) {
  auto lib = folio::ingest::Library::open(optionsIn(tmp).library);
  if (!lib) return 0;
  auto chunks = lib->chunks(document);
  if (!chunks) return 0;
  for (const auto& c : *chunks)
    if (c.text.find(text) != std::string::npos) return c.id;
  return 0;
}

// Clicks the link whose text starts with `label` in the comparison's view, as a person would.
bool clickLink(ComparisonWindow* window, const QString& label, int nth = 0) {
  QTextDocument* doc = window->view()->document();
  QTextCursor at(doc);
  for (int k = 0; k <= nth; ++k) {
    do {
      at = doc->find(label, at);
    } while (!at.isNull() && !at.charFormat().isAnchor());
    if (at.isNull()) return false;
  }
  window->view()->ensureCursorVisible();
  QTextCursor inside(at);
  inside.setPosition(at.selectionStart() + 1);
  window->view()->setTextCursor(inside);
  window->view()->ensureCursorVisible();
  const QPoint p = window->view()->cursorRect(inside).center();
  QTest::mouseClick(window->view()->viewport(), Qt::LeftButton, {}, p);
  return true;
}

QTextCharFormat formatOf(ComparisonWindow* window, const QString& text) {
  const QTextCursor at = window->view()->document()->find(text);
  if (at.isNull()) return {};
  QTextCursor inside(at);
  inside.setPosition(at.selectionStart() + 1);
  return inside.charFormat();
}

}  // namespace

class CompareTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void twoSelectedVersionsCompareInTheirWindow() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    w.show();
    const Versions v = ingestVersions(w, tmp);
    QVERIFY(v.old_id > 0 && v.new_id > 0);
    QVERIFY2(v.new_id < v.old_id, "the new version is stored first: the id is not the rule");
    QAction* compare = w.libraryPanel()->compareAction();

    select(w, {v.new_id});
    QVERIFY(!compare->isEnabled());
    QVERIFY2(compare->toolTip().contains("Select two documents"), qPrintable(compare->toolTip()));
    select(w, {v.new_id, v.old_id, v.blob_id});
    QVERIFY(!compare->isEnabled());
    select(w, {v.new_id, v.old_id});
    QVERIFY(compare->isEnabled());
    QCOMPARE(compare->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));

    compare->trigger();
    ComparisonWindow* window = openedComparison(w);
    QVERIFY(window);
    QCOMPARE(window->windowTitle(), QString("Compare: sent/supply.txt → final/supply.txt"));
    QVERIFY2(window->header()->text().contains("<b>Old:</b> sent/supply.txt"), qPrintable(window->header()->text()));
    QCOMPARE(window->summary()->text(), QString("2 differences: 1 in the text, 1 removed; 3 clause numbers changed"));
    QVERIFY(!window->busyBar()->isVisible());
    const QString text = window->view()->toPlainText();
    QVERIFY2(text.contains("clause removed"), qPrintable(text));
    // The redline: the deleted words struck through in red, the inserted ones underlined in blue.
    const QTextCharFormat deleted = formatOf(window, "thirty (30)");
    QVERIFY(deleted.fontStrikeOut());
    QCOMPARE(deleted.foreground().color(), QColor("#b00020"));
    const QTextCharFormat inserted = formatOf(window, "sixty (60)");
    QVERIFY(inserted.fontUnderline());
    QCOMPARE(inserted.foreground().color(), QColor("#0b57d0"));

    // A difference opens the new version's chunk in the reader; the removed clause the old version's.
    const qint64 fees_chunk = chunkHolding(tmp, v.new_id, "sixty (60)");
    const qint64 insurance_chunk = chunkHolding(tmp, v.old_id, "2. Insurance");
    QVERIFY(fees_chunk > 0 && insurance_chunk > 0);
    QVERIFY2(chunkHolding(tmp, v.old_id, "thirty (30)") != insurance_chunk, "the fixture's clauses share a chunk");
    QSignalSpy open(window, &ComparisonWindow::openRequested);
    QVERIFY(clickLink(window, "1.1 Fees"));
    QTRY_COMPARE(open.count(), 1);
    auto asked = open.at(0).at(0).value<folio::app::Evidence>();
    QCOMPARE(asked.document_id, v.new_id);
    QCOMPARE(asked.chunk_id.value_or(0), fees_chunk);
    QCOMPARE(w.reader()->location().document_id, v.new_id);
    QVERIFY(w.reader()->location().text.contains("sixty (60)"));
    // At the difference's line (the file's 5th), not its chunk's first.
    QCOMPARE(asked.line_first, 5);
    QCOMPARE(w.reader()->location().line_first, 5);
    QCOMPARE(w.reader()->location().line_last, 5);
    QVERIFY(clickLink(window, "2. Insurance"));
    QTRY_COMPARE(open.count(), 2);
    asked = open.at(1).at(0).value<folio::app::Evidence>();
    QCOMPARE(asked.document_id, v.old_id);
    QCOMPARE(asked.chunk_id.value_or(0), insurance_chunk);
    QCOMPARE(w.reader()->location().document_id, v.old_id);
    // "old version" beside the change opens the old version's chunk of it.
    QVERIFY(clickLink(window, "old version"));
    QTRY_COMPARE(open.count(), 3);
    asked = open.at(2).at(0).value<folio::app::Evidence>();
    QCOMPARE(asked.chunk_id.value_or(0), chunkHolding(tmp, v.old_id, "thirty (30)"));

    // Export: the redline as HTML, and as PDF.
    QVERIFY(window->exportTo(tmp.filePath("redline.html")));
    QFile html(tmp.filePath("redline.html"));
    QVERIFY(html.open(QIODevice::ReadOnly));
    QVERIFY(html.readAll().contains("line-through\">thirty (30)</span>"));
    QVERIFY2(window->status()->text().contains("redline.html"), qPrintable(window->status()->text()));
    QVERIFY(window->exportTo(tmp.filePath("redline.pdf")));
    QFile pdf(tmp.filePath("redline.pdf"));
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    QVERIFY(pdf.read(5) == "%PDF-");
    QVERIFY(!window->exportTo(tmp.filePath("redline.txt")));

    // Swap: the final version as the old one.
    QSignalSpy shown(window, &ComparisonWindow::comparisonShown);
    QTest::mouseClick(window->swapButton(), Qt::LeftButton);
    QVERIFY(window->busy() || !shown.isEmpty());
    QVERIFY(shown.wait(30000) || !shown.isEmpty());
    QCOMPARE(window->windowTitle(), QString("Compare: final/supply.txt → sent/supply.txt"));
    QCOMPARE(window->summary()->text(), QString("2 differences: 1 in the text, 1 clause added; 3 clause numbers changed"));
    QVERIFY(formatOf(window, "sixty (60)").fontStrikeOut());
    QVERIFY(clickLink(window, "2. Insurance"));
    QTRY_COMPARE(open.count(), 4);
    QCOMPARE(open.at(3).at(0).value<folio::app::Evidence>().document_id, v.old_id);  // added: the (new) old one's
  }

  void theShortcutComparesAndTheContextMenuOffersIt() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    const Versions v = ingestVersions(w, tmp);
    QVERIFY(v.old_id > 0);
    select(w, {v.old_id, v.new_id});
    w.libraryView()->setFocus();
    QTest::keyClick(w.libraryView(), Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    ComparisonWindow* window = openedComparison(w);
    QVERIFY(window);
    QCOMPARE(window->windowTitle(), QString("Compare: sent/supply.txt → final/supply.txt"));
    window->close();
    // The library view's context menu offers it.
    QCOMPARE(w.libraryView()->contextMenuPolicy(), Qt::CustomContextMenu);
    bool offered = false;
    QTimer::singleShot(0, [&] {
      if (auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) {
        offered = menu->actions().contains(w.libraryPanel()->compareAction()) && menu->toolTipsVisible();
        menu->close();
      }
    });
    Q_EMIT w.libraryView()->customContextMenuRequested(QPoint(10, 10));
    QVERIFY(offered);
  }

  void aDocumentWithoutTextIsNamedWithTheReason() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    const Versions v = ingestVersions(w, tmp);
    QVERIFY(v.blob_id > 0);
    select(w, {v.blob_id, v.new_id});
    w.libraryPanel()->compareAction()->trigger();
    ComparisonWindow* window = openedComparison(w, true);
    QVERIFY(window);
    QVERIFY(!window->comparison());
    const QString status = window->status()->text();
    QVERIFY2(status.contains("blob.bin") && status.contains("has no text to compare"), qPrintable(status));
    QVERIFY2(status.contains("binary"), qPrintable(status));
    QVERIFY(!window->swapButton()->isEnabled());
    QVERIFY(!window->exportButton()->isEnabled());
  }

  // Stop while it runs: nothing of the run is shown (even a run that ended just before), the window says
  // so and the buttons come back. Closing it while it runs: the worker's end reaches nothing.
  void stoppingOrClosingWhileItRunsDropsTheRun() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    const Versions v = ingestVersions(w, tmp);
    QVERIFY(v.old_id > 0);
    QPointer<ComparisonWindow> window = w.compareVersions(v.old_id, v.new_id);
    QVERIFY(window);
    QVERIFY(window->busy());
    QVERIFY(window->busyBar()->isVisibleTo(window));
    QVERIFY(window->stopButton()->isVisibleTo(window));
    QTest::mouseClick(window->stopButton(), Qt::LeftButton);
    QTRY_VERIFY(!window->busy());
    QCOMPARE(window->status()->text(), QString("Stopped."));
    QVERIFY(!window->comparison());
    QVERIFY(!window->stopButton()->isVisibleTo(window));
    QVERIFY(!window->busyBar()->isVisibleTo(window));
    QVERIFY(!window->swapButton()->isEnabled());  // nothing to swap
    window->close();
    QTRY_VERIFY(window.isNull());  // WA_DeleteOnClose

    window = w.compareVersions(v.old_id, v.new_id);
    QVERIFY(window);
    QVERIFY(window->busy());
    window->close();
    QTRY_VERIFY(window.isNull());
    QTest::qWait(200);  // the worker's end reaches nothing
  }

  // FOLIO_COMPARE_BENCH=1: a pair of some 1,700 pages each (1,500 clauses, 460,000 words; every 10th
  // clause with words added, every 100th removed; =dense: every clause with words added), compared
  // through the window; prints the time to the comparison on screen, the longest the GUI thread stalled
  // meanwhile, and what building the redline cost the worker.
  void benchALargePair() {
    if (!qEnvironmentVariableIsSet("FOLIO_COMPARE_BENCH")) QSKIP("set FOLIO_COMPARE_BENCH=1 to measure a large pair");
    const bool dense = qgetenv("FOLIO_COMPARE_BENCH") == "dense";  // every clause changed in several places
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "large";
    uint64_t seed = 7;
    auto word = [&seed] {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      std::string w = "w";  // not "w" + …: GCC 12 warns of a false overlap (-Wrestrict)
      return w += std::to_string((seed >> 33) % 60000);
    };
    std::string old_text, new_text;
    int renumbered = 0;
    for (int c = 1; c <= 1500; ++c) {
      std::string body;
      for (int k = 0; k < 280; ++k) body += (k % 14 == 13 ? word() + ". " : word() + " ");
      old_text += std::to_string(c) + ". Clause " + std::to_string(c) + "\n\n" + body + "\n\n";
      if (c % 100 == 0) {
        ++renumbered;
        continue;
      }
      for (size_t at = 40; at < body.size() && (c % 10 == 0 || dense); at += 400) body.replace(body.find(' ', at), 1, " changed ");
      new_text += std::to_string(c - renumbered) + ". Clause " + std::to_string(c) + "\n\n" + body + "\n\n";
    }
    write(root / "old" / "contract.txt", old_text);
    write(root / "new" / "contract.txt", new_text);
    fs::last_write_time(root / "old" / "contract.txt", fs::file_time_type::clock::now() - std::chrono::hours(48));
    folio::ui::MainWindow w(optionsIn(tmp));
    folio::test::IngestWatch ingest(w.libraryService());
    w.addPaths({QString::fromStdString(root.string())}, "large");
    QVERIFY(ingest.waitFinished());
    QVERIFY(QTest::qWaitFor([&] { return w.libraryModel()->documentCount() == 2; }, 10000));
    const QModelIndex large = w.libraryModel()->index(0, 0);
    select(w, {w.libraryModel()->index(0, 0, large).data(folio::ui::LibraryModel::DocumentIdRole).toLongLong(),
               w.libraryModel()->index(1, 0, large).data(folio::ui::LibraryModel::DocumentIdRole).toLongLong()});
    QElapsedTimer clock, since_tick;
    qint64 stall_ms = 0;  // the longest the GUI thread did not run its event loop
    QTimer ticks;
    QObject::connect(&ticks, &QTimer::timeout, [&] { stall_ms = std::max(stall_ms, since_tick.restart()); });
    clock.start();
    since_tick.start();
    ticks.start(5);
    w.libraryPanel()->compareAction()->trigger();
    ComparisonWindow* window = openedComparison(w);
    QVERIFY(window);
    const qint64 shown_ms = clock.elapsed();
    QTest::qWait(20);
    ticks.stop();
    QVERIFY(window->windowTitle().startsWith("Compare: old/contract.txt"));
    // What the worker did to build the window's redline, timed here.
    clock.restart();
    const auto& c = *window->comparison();
    const auto report = folio::app::comparisonReport(*c.old_doc, *c.new_doc, c.comparison);
    const QString html = folio::ui::comparisonHtml(report, folio::app::listedChanges(c.comparison));
    const qint64 html_ms = clock.elapsed();
    clock.restart();
    QTextDocument parsed;
    parsed.setHtml(html);
    const qint64 parse_ms = clock.elapsed();
    qInfo().noquote() << QString("%1 words and %2 chunks old, %3; on screen %4 ms after the action, the GUI thread's "
                                 "longest stall %5 ms; on the worker, report and HTML %6 ms (%7 KB), parsing it %8 ms")
                             .arg(c.comparison.old_tokens)
                             .arg(c.old_doc->text.chunks.size())
                             .arg(window->summary()->text())
                             .arg(shown_ms)
                             .arg(stall_ms)
                             .arg(html_ms)
                             .arg(html.size() / 1024)
                             .arg(parse_ms);
  }
};

QTEST_MAIN(CompareTest)
#include "test_compare.moc"
