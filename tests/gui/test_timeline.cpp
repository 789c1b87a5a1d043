// Library › Timeline… (Ctrl+Shift+T): two e-mails (the reply quoting the first) and a contract with full
// dates ingested into a fresh library, the timeline window opened over the ask panel's scope or the
// selection; Run, the events in date order (a message by its subject and sender, the sentence the reply
// quotes one event with two places), the words and from/to filters (a bad date refused), day-first
// dates, an event opening its place in the reader (Enter, double-click), CSV export, the filters
// remembered; 40,000 events shown without stalling the GUI thread, Stop showing the events found until
// then, closing while it runs dropping the run.
#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
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
#include <fstream>

#include "tests/gui/fresh_window.h"
#include "tests/gui/ingest_watch.h"
#include "ui/ask_panel.h"
#include "ui/library_model.h"
#include "ui/library_panel.h"
#include "ui/main_window.h"
#include "ui/reader_panel.h"
#include "ui/timeline_model.h"
#include "ui/timeline_window.h"
#include "tests/gui/screenshot.h"

namespace {

namespace fs = std::filesystem;
using folio::test::optionsIn;
using folio::ui::TimelineModel;
using folio::ui::TimelineWindow;

void write(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

const char kFirst[] =
    "From: Jane Roe <jane@acme.example>\n"
    "To: Bob Poe <bob@beta.example>\n"
    "Subject: Draft SPA\n"
    "Date: Tue, 5 Mar 2024 14:30:00 +0000\n"
    "\n"
    "Bob,\n\nThe closing is set for April 15, 2024. Please review the draft.\n\nJane\n";
const char kReply[] =
    "From: Bob Poe <bob@beta.example>\n"
    "To: Jane Roe <jane@acme.example>\n"
    "Subject: Re: Draft SPA\n"
    "Date: Wed, 6 Mar 2024 09:00:00 +0000\n"
    "\n"
    "Agreed, the draft is fine.\n\n"
    "> The closing is set for April 15, 2024. Please review the draft.\n";
// Full dates, one of them numeric with day and month that could be swapped (03/05), and a month.
const char kContract[] =
    "SERVICES AGREEMENT\n\n"
    "This Agreement is made on 1 February 2024 between Acme Ltd and Beta LLC.\n\n"
    "1. Deposit\n\nThe deposit is paid on 03/05/2024 into the escrow account.\n\n"
    "2. Term\n\nThis Agreement ends on 31 January 2026 unless it is renewed.\n\n"
    "3. Works\n\nThe works start in June 2024 at the latest.\n";

struct Case {
  qint64 first = 0, reply = 0, contract = 0;
};

// case/{first.eml,reply.eml,contract.txt} into "case".
Case ingestCase(folio::ui::MainWindow& w, const QTemporaryDir& tmp) {
  const fs::path root = fs::path(tmp.path().toStdString()) / "case";
  write(root / "first.eml", kFirst);
  write(root / "reply.eml", kReply);
  write(root / "contract.txt", kContract);
  folio::test::IngestWatch ingest(w.libraryService());
  w.addPaths({QString::fromStdString(root.string())}, "case");
  if (!ingest.waitFinished()) return {};
  if (!QTest::qWaitFor([&] { return w.libraryModel()->documentCount() == 3; }, 10000)) return {};
  Case c;
  const QModelIndex collection = w.libraryModel()->index(0, 0);
  for (int r = 0; r < w.libraryModel()->rowCount(collection); ++r) {
    const QModelIndex doc = w.libraryModel()->index(r, 0, collection);
    const QString path = doc.data(folio::ui::LibraryModel::PathRole).toString();
    const qint64 id = doc.data(folio::ui::LibraryModel::DocumentIdRole).toLongLong();
    if (path.endsWith("first.eml")) c.first = id;
    if (path.endsWith("reply.eml")) c.reply = id;
    if (path.endsWith("contract.txt")) c.contract = id;
  }
  return c;
}

// `files` minutes books of `each` meetings, each on a day of its own: files × each events.
bool ingestMinutes(folio::ui::MainWindow& w, const QTemporaryDir& tmp, int files, int each) {
  const fs::path root = fs::path(tmp.path().toStdString()) / "minutes";
  const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                          "July",    "August",   "September", "October", "November", "December"};
  for (int f = 0; f < files; ++f) {
    std::string text = "MINUTES BOOK " + std::to_string(f) + "\n\n";
    for (int k = 0; k < each; ++k) {
      const int n = f * each + k;
      text += "Meeting " + std::to_string(n) + " of the board was held on " + months[n % 12] + " " +
              std::to_string(1 + n / 12 % 28) + ", " + std::to_string(1900 + n / 336 % 120) + ".\n";
    }
    write(root / ("book_" + std::to_string(1000 + f) + ".txt"), text);
  }
  folio::test::IngestWatch ingest(w.libraryService());
  w.addPaths({QString::fromStdString(root.string())}, "minutes");
  return ingest.waitFinished() &&
         QTest::qWaitFor([&] { return w.libraryModel()->documentCount() == files; }, 60000);
}

void select(folio::ui::MainWindow& w, const QList<qint64>& ids) {
  auto* selection = w.libraryView()->selectionModel();
  selection->clearSelection();
  for (qint64 id : ids)
    selection->select(w.libraryModel()->indexOfDocument(id), QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

// Runs the window's filters and waits for the timeline; false when none came.
bool runAndWait(TimelineWindow* window, int timeout_ms = 60000) {
  QSignalSpy shown(window, &TimelineWindow::timelineShown);
  QSignalSpy failed(window, &TimelineWindow::timelineFailed);
  QTest::mouseClick(window->runButton(), Qt::LeftButton);
  if (!QTest::qWaitFor([&] { return !shown.isEmpty() || !failed.isEmpty(); }, timeout_ms)) return false;
  if (!failed.isEmpty()) qWarning() << window->status()->text();
  return !shown.isEmpty();
}

QString cell(TimelineWindow* window, int row, int column) { return window->model()->index(row, column).data().toString(); }

QStringList dates(TimelineWindow* window) {
  QStringList out;
  for (int r = 0; r < window->model()->rowCount(); ++r) out << cell(window, r, TimelineModel::DateColumn);
  return out;
}

// The row whose event holds `text` (-1 when none).
int rowOf(TimelineWindow* window, const QString& text) {
  for (int r = 0; r < window->model()->rowCount(); ++r)
    if (cell(window, r, TimelineModel::EventColumn).contains(text)) return r;
  return -1;
}

}  // namespace

class TimelineTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void theEventsOfTheScopeInDateOrder() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    w.show();
    const Case c = ingestCase(w, tmp);
    QVERIFY(c.first > 0 && c.reply > 0 && c.contract > 0);
    QAction* action = w.libraryPanel()->timelineAction();
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    action->trigger();
    auto* window = w.findChild<TimelineWindow*>();
    QVERIFY(window);
    QCOMPARE(window->windowTitle(), QString("Timeline: all documents"));
    QVERIFY(!window->exportButton()->isEnabled());  // nothing to export yet
    QVERIFY(!window->countLine()->isVisibleTo(window));

    QVERIFY(runAndWait(window));
    QVERIFY(!window->busy());
    QVERIFY(!window->progressBar()->isVisibleTo(window));
    QVERIFY(!window->stopButton()->isVisibleTo(window));
    QCOMPARE(window->model()->columnCount(), 4);
    QCOMPARE(window->model()->headerData(TimelineModel::EventColumn, Qt::Horizontal).toString(), QString("Event"));
    // Month first: 03/05/2024 is 5 March, before the message of that afternoon.
    QCOMPARE(dates(window), (QStringList{"2024-02-01", "2024-03-05", "2024-03-05 14:30 +0000", "2024-03-06 09:00 +0000",
                                         "2024-04-15", "2024-06", "2026-01-31"}));
    QCOMPARE(window->timeline()->documents, 3);
    QVERIFY2(window->countLine()->text().startsWith(QString("7 events from %1 dates in 3 documents").arg(window->timeline()->mentions)),
             qPrintable(window->countLine()->text()));
    QVERIFY(window->timeline()->mentions >= 8);  // the quoted sentence counted twice before merging
    // A month: muted, its tooltip says the text names no day.
    QCOMPARE(window->model()->index(5, TimelineModel::DateColumn).data(Qt::ForegroundRole).value<QBrush>().color(),
             QColor(0x70, 0x70, 0x70));
    QVERIFY(window->model()->index(5, TimelineModel::DateColumn).data(Qt::ToolTipRole).toString().contains("no day"));
    QVERIFY(!window->model()->index(0, TimelineModel::DateColumn).data(Qt::ForegroundRole).isValid());
    // A message: its subject and sender, in bold; its document the .eml.
    const int draft = rowOf(window, "Draft SPA — From:");
    QCOMPARE(draft, 2);
    QCOMPARE(cell(window, draft, TimelineModel::EventColumn), QString("Draft SPA — From: Jane Roe <jane@acme.example>"));
    QVERIFY(window->model()->index(draft, TimelineModel::EventColumn).data(Qt::FontRole).value<QFont>().bold());
    QCOMPARE(cell(window, draft, TimelineModel::DocumentColumn), QString("first.eml"));
    // The sentence the reply quotes: one event, found in both messages.
    const int closing = rowOf(window, "The closing is set for April 15, 2024.");
    QCOMPARE(closing, 4);
    QCOMPARE(window->model()->eventAt(closing)->occurrences, 2);
    QCOMPARE(cell(window, closing, TimelineModel::DocumentColumn), QString("first.eml  (+1 more place)"));
    const QString places = window->model()->index(closing, TimelineModel::DocumentColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(places.contains("first.eml") && places.contains("reply.eml") && places.contains("Found in 2 places"), qPrintable(places));
    QVERIFY2(cell(window, closing, TimelineModel::WhereColumn).contains("line"), qPrintable(cell(window, closing, TimelineModel::WhereColumn)));
    QVERIFY(window->exportButton()->isEnabled());
    saveScreenshot(window, "timeline_window.png");

    // Enter on an event opens its place in the reader, the line of its date; double-click does too.
    QSignalSpy open(window, &TimelineWindow::openRequested);
    const int ends = rowOf(window, "ends on 31 January 2026");
    QVERIFY(ends >= 0);
    window->table()->setFocus();
    window->table()->setCurrentIndex(window->model()->index(ends, TimelineModel::EventColumn));
    QTest::keyClick(window->table(), Qt::Key_Return);
    QTRY_COMPARE(open.count(), 1);
    QVERIFY(window->isVisible());  // Enter pressed no button of the window
    auto place = open.at(0).at(0).value<folio::app::Evidence>();
    QCOMPARE(place.kind, std::string("chunk"));
    QCOMPARE(place.document_id, c.contract);
    QCOMPARE(place.text, std::string("This Agreement ends on 31 January 2026 unless it is renewed."));
    QCOMPARE(w.reader()->location().document_id, c.contract);
    QCOMPARE(place.line_first, 11);  // its line in contract.txt
    QCOMPARE(w.reader()->location().line_first, 11);
    QCOMPARE(w.reader()->location().text, QString("This Agreement ends on 31 January 2026 unless it is renewed."));
    const QRect draft_cell = window->table()->visualRect(window->model()->index(draft, TimelineModel::DateColumn));
    QTest::mouseClick(window->table()->viewport(), Qt::LeftButton, {}, draft_cell.center());
    QTest::mouseDClick(window->table()->viewport(), Qt::LeftButton, {}, draft_cell.center());
    QTRY_COMPARE(open.count(), 2);
    QCOMPARE(w.reader()->location().document_id, c.first);

    // CSV: a BOM, the header, a row per event in date order.
    const QString csv_path = tmp.filePath("timeline.csv");
    QVERIFY(window->exportTo(csv_path));
    QVERIFY2(window->status()->text().contains("timeline.csv"), qPrintable(window->status()->text()));
    QFile csv(csv_path);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray bytes = csv.readAll();
    QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
    const QList<QByteArray> lines = bytes.mid(3).trimmed().split('\n');
    QCOMPARE(lines.size(), 8);
    QVERIFY2(lines[0].startsWith("Date,Event,Document,"), lines[0].constData());
    QVERIFY2(lines[1].startsWith("2024-02-01,This Agreement is made on 1 February 2024"), lines[1].constData());
    QVERIFY2(lines[3].startsWith("2024-03-05 14:30 +0000,E-mail: Draft SPA"), lines[3].constData());
    QVERIFY2(lines[5].contains("first.eml,and 1 other place"), lines[5].constData());
    QVERIFY(!window->exportTo(tmp.filePath("timeline.txt")));
    QVERIFY2(window->status()->text().contains(".csv"), qPrintable(window->status()->text()));
    QVERIFY(window->exportTo(tmp.filePath("timeline.md")));
    QVERIFY2(window->exportTo(tmp.filePath("timeline.pdf")), qPrintable(window->status()->text()));
    QVERIFY(QFileInfo(tmp.filePath("timeline.pdf")).size() > 1000);

    // Words: only the events holding them.
    // Enter in the words runs.
    window->wordsEdit()->setText("closing");
    {
      QSignalSpy shown(window, &TimelineWindow::timelineShown);
      QTest::keyClick(window->wordsEdit(), Qt::Key_Return);
      QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 60000);
    }
    QVERIFY(window->isVisible());
    QCOMPARE(dates(window), QStringList{"2024-04-15"});
    QVERIFY2(window->countLine()->text().contains("holding \"closing\""), qPrintable(window->countLine()->text()));
    window->wordsEdit()->clear();
    // From and to: a bad date is refused, Run stays off until it is mended.
    window->fromEdit()->setText("2024-13-45");
    QVERIFY(!window->runButton()->isEnabled());
    QVERIFY(!window->run());
    QVERIFY2(window->status()->text().contains("is not a date"), qPrintable(window->status()->text()));
    window->fromEdit()->setText("2024-03-06");
    window->toEdit()->setText("2024-01-01");
    QVERIFY(!window->runButton()->isEnabled());  // to before from
    window->toEdit()->setText("2024-12-31");
    QVERIFY(window->runButton()->isEnabled());
    QVERIFY(runAndWait(window));
    QCOMPARE(dates(window), (QStringList{"2024-03-06 09:00 +0000", "2024-04-15", "2024-06"}));
    // Day first: 03/05/2024 is 3 May.
    window->fromEdit()->clear();
    window->toEdit()->clear();
    QTest::mouseClick(window->dayFirstBox(), Qt::LeftButton);
    QVERIFY(window->dayFirstBox()->isChecked());
    QVERIFY(runAndWait(window));
    QVERIFY(dates(window).contains("2024-05-03"));
    QVERIFY(!dates(window).contains("2024-03-05"));

    // What to remember is handed on as it changes; the next window starts from it.
    window->wordsEdit()->setText("deposit");
    QCOMPARE(w.settings().timeline_words, QString("deposit"));
    QVERIFY(w.settings().timeline_day_first);
    window->resize(1000, 650);
    QCOMPARE(w.settings().timeline_geometry, window->saveGeometry());
    QPointer<TimelineWindow> first = window;
    window->close();
    QTRY_VERIFY(first.isNull());  // deleted on close
    TimelineWindow* again = w.showTimeline();
    QVERIFY(again);
    QCOMPARE(again->wordsEdit()->text(), QString("deposit"));
    QVERIFY(again->dayFirstBox()->isChecked());
    QCOMPARE(again->size(), QSize(1000, 650));
    QSettings file(tmp.filePath("settings.ini"), QSettings::IniFormat);
    w.settings().save(file);
    file.sync();
    QSettings read(tmp.filePath("settings.ini"), QSettings::IniFormat);
    const auto loaded = folio::ui::GuiSettings::load(read);
    QCOMPARE(loaded.timeline_words, QString("deposit"));
    QVERIFY(loaded.timeline_day_first);
    QCOMPARE(loaded.timeline_geometry, w.settings().timeline_geometry);
  }

  // A sentence shortened around its date is highlighted in the reader without the marks of the cuts.
  void theReaderHighlightsTheSentenceWithoutItsCuts() {
    folio::app::TimelineEvent e;
    e.text = "… the closing is set for April 15, 2024 by the parties …";
    QCOMPARE(folio::ui::timelineHighlightText(e), QString("the closing is set for April 15, 2024 by the parties"));
    e.text = "Meeting held on May 1, 2024.";
    QCOMPARE(folio::ui::timelineHighlightText(e), QString("Meeting held on May 1, 2024."));
  }

  void theScopeIsTheSelectionOrTheAskPanelsCollection() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    const Case c = ingestCase(w, tmp);
    QVERIFY(c.first > 0);
    // Two selected: those two, by the shortcut in the library view.
    select(w, {c.first, c.contract});
    w.libraryView()->setFocus();
    QTest::keyClick(w.libraryView(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
    QPointer<TimelineWindow> window = w.findChild<TimelineWindow*>();
    QVERIFY(window);
    QCOMPARE(window->windowTitle(), QString("Timeline: 2 selected documents"));
    QVERIFY(runAndWait(window));
    QCOMPARE(window->timeline()->documents, 2);
    QCOMPARE(rowOf(window, "Re: Draft SPA"), -1);
    QCOMPARE(window->model()->eventAt(rowOf(window, "The closing is set"))->occurrences, 1);
    window->close();
    QTRY_VERIFY(window.isNull());
    // One selected: the ask panel's collection.
    select(w, {c.first});
    w.askPanel()->setScope("case");
    w.libraryPanel()->timelineAction()->trigger();
    window = w.findChild<TimelineWindow*>();
    QVERIFY(window);
    QCOMPARE(window->windowTitle(), QString("Timeline: collection “case”"));
    window->close();
    // The library view's context menu offers it.
    bool offered = false;
    QTimer::singleShot(0, [&] {
      if (auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) {
        offered = menu->actions().contains(w.libraryPanel()->timelineAction());
        menu->close();
      }
    });
    Q_EMIT w.libraryView()->customContextMenuRequested(QPoint(10, 10));
    QVERIFY(offered);
  }

  // 40,000 events (80 minutes books of 500 meetings): shown without the GUI thread stalling (the longest
  // gap between 5 ms ticks is printed; a table that read every row to size its columns took seconds), the
  // last row reachable; then a run held after its first document and stopped shows that document's; closing the
  // window while a run reads drops it.
  void aLargeTimelineStopAndClose() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    QVERIFY(ingestMinutes(w, tmp, 80, 500));
    QPointer<TimelineWindow> window = w.showTimeline();
    QVERIFY(window);
    QElapsedTimer since_tick;
    qint64 stall_ms = 0;
    QTimer ticks;
    QObject::connect(&ticks, &QTimer::timeout, [&] { stall_ms = std::max(stall_ms, since_tick.restart()); });
    since_tick.start();
    ticks.start(5);
    QVERIFY(runAndWait(window, 240000));
    QTest::qWait(50);  // the first paint of the table
    ticks.stop();
    QCOMPARE(window->model()->rowCount(), 40000);
    QVERIFY2(window->countLine()->text().startsWith("40,000 events from 40,000 dates in 80 documents"),
             qPrintable(window->countLine()->text()));
    const QStringList all = dates(window);
    QVERIFY(std::is_sorted(all.begin(), all.end()));
    QElapsedTimer clock;
    clock.start();
    window->table()->scrollToBottom();
    QTest::qWait(0);
    const qint64 scroll_ms = clock.elapsed();
    qInfo().noquote() << QString("40,000 events: on screen %1 ms after Run, the GUI thread's longest stall %2 ms; "
                                 "scrolling to the end %3 ms")
                             .arg(window->lastRunMs())
                             .arg(stall_ms)
                             .arg(scroll_ms);
    saveScreenshot(window, "timeline_window_large.png");

    QSignalSpy failed(window, &TimelineWindow::timelineFailed);
    QSemaphore held, go;
    std::atomic<bool> once{false};
    window->setWorkerObserver([&](int64_t, int64_t) {
      if (once.exchange(true)) return;
      held.release();
      go.acquire();
    });
    QVERIFY(window->run());
    QVERIFY(window->busy());
    QVERIFY(window->stopButton()->isVisibleTo(window));
    QVERIFY(!window->runButton()->isVisibleTo(window));
    QVERIFY(!window->wordsEdit()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(held.available() == 1, 30000);
    QTRY_COMPARE(window->progressBar()->maximum(), 80);
    QCOMPARE(window->progressLabel()->text(), QString("1 of 80 documents read"));
    saveScreenshot(window, "timeline_window_running.png");
    QTest::mouseClick(window->stopButton(), Qt::LeftButton);
    QCOMPARE(window->status()->text(), QString("Stopping…"));
    go.release();
    QTRY_VERIFY_WITH_TIMEOUT(!window->busy(), 20000);
    QCOMPARE(failed.count(), 0);
    // The events found until the stop: the first document's (500) and none of the others'.
    QCOMPARE(window->model()->rowCount(), 500);
    QVERIFY2(window->status()->text().startsWith("Stopped after reading 1 of 80 documents"), qPrintable(window->status()->text()));
    QVERIFY(window->runButton()->isVisibleTo(window));
    QVERIFY(window->exportButton()->isEnabled());

    window->setWorkerObserver({});  // the test's locals are gone when the dropped run ends
    QVERIFY(window->run());
    window->close();
    QTRY_VERIFY(window.isNull());
    QTest::qWait(300);  // the worker's end reaches nothing
  }
};

QTEST_MAIN(TimelineTest)
#include "test_timeline.moc"
