// The library search in the window: typing finds the passages (best first, the words in bold), a result
// opens in the reader at its page, the scope narrows the search to a collection, a newer search
// supersedes an older one, and a library that cannot be read says why.
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <set>
#include <string>

#include "ui/main_window.h"
#include "ui/pdf_view.h"
#include "ui/reader_panel.h"
#include "ui/scope_box.h"
#include "ui/search_panel.h"
#include "ui/search_service.h"
#include "tests/gui/fresh_window.h"
#include "tests/gui/ingest_watch.h"

namespace {

using folio::test::optionsIn;

// Types `query` into the search box and waits for the answer to it.
bool search(folio::ui::MainWindow& w, const QString& query) {
  QSignalSpy answered(w.searchService(), &folio::ui::SearchService::resultsReady);
  QSignalSpy failed(w.searchService(), &folio::ui::SearchService::failed);
  auto* edit = w.searchPanel()->searchEdit();
  edit->clear();
  QTest::keyClicks(edit, query);
  return QTest::qWaitFor([&] { return !answered.isEmpty() || !failed.isEmpty(); }, 30000) && failed.isEmpty();
}

}  // namespace

class SearchPanelTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void resultTextIsEscapedWithTheMatchesInBold() {
    folio::ingest::SearchHit h;
    h.rel_path = "a<b>.txt";
    h.heading = "Fees & costs";
    h.snippet = "late \x01payment\x02 <script>\nnext";
    h.page_first = h.page_last = 4;
    h.line_first = 8;
    h.line_last = 13;
    const QString html = folio::ui::hitHtml(h);
    QVERIFY2(html.contains("<b>a&lt;b&gt;.txt</b>"), qPrintable(html));
    QVERIFY2(html.contains("Fees &amp; costs · p. 4 · l. 8–13"), qPrintable(html));
    QVERIFY2(html.contains("late <b>payment</b> &lt;script&gt; next"), qPrintable(html));
  }

  void typingFindsTheClauseAndChoosingItOpensItsPage() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    folio::test::IngestWatch ingest(w.libraryService());
    w.addPaths({QString(FOLIO_RESOURCES_DIR) + "/samples"}, "samples");
    QVERIFY(ingest.waitFinished());
    w.showSearch();
    QCOMPARE(w.findChild<QTabWidget*>("leftTabs")->currentWidget(), w.searchPanel());
    QVERIFY(search(w, "termination notice"));
    auto* list = w.searchPanel()->resultList();
    QVERIFY(list->count() >= 1);
    const auto& top = w.searchPanel()->hits().front().hit;
    QVERIFY2(top.rel_path.find("services-agreement.pdf") != std::string::npos, top.rel_path.c_str());
    QCOMPARE(top.page_first, 4);
    QVERIFY(list->item(0)->text().contains("<b>"));
    QVERIFY2(w.searchPanel()->statusLabel()->text().contains("passage"), qPrintable(w.searchPanel()->statusLabel()->text()));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(0)).center());
    QTRY_VERIFY_WITH_TIMEOUT(w.reader()->showingPdf(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(w.reader()->pdfView()->currentPage(), 4, 10000);
    // Nothing matches: said so, not an error; punctuation alone searches nothing.
    QVERIFY(search(w, "zyxwvut"));
    QCOMPARE(list->count(), 0);
    QVERIFY(w.searchPanel()->statusLabel()->text().startsWith("Nothing in the library matches"));
  }

  void theScopeNarrowsTheSearchToACollection() {
    QTemporaryDir tmp;
    QDir().mkpath(tmp.filePath("notes"));
    QFile note(tmp.filePath("notes/memo.md"));
    QVERIFY(note.open(QIODevice::WriteOnly));
    note.write("# Memo\n\nTermination of the lease needs written notice.\n");
    note.close();
    folio::ui::MainWindow w(optionsIn(tmp));
    folio::test::IngestWatch ingest(w.libraryService());
    w.addPaths({QString(FOLIO_RESOURCES_DIR) + "/samples"}, "samples");
    QVERIFY(ingest.waitFinished(1));
    w.addPaths({tmp.filePath("notes")}, "notes");
    QVERIFY(ingest.waitFinished(2));
    QTRY_COMPARE_WITH_TIMEOUT(w.searchPanel()->scopeBox()->count(), 3, 10000);  // all, notes, samples
    QVERIFY(search(w, "termination notice"));
    std::set<std::string> everywhere;
    for (const auto& h : w.searchPanel()->hits()) everywhere.insert(h.hit.collection);
    QVERIFY(everywhere == (std::set<std::string>{"notes", "samples"}));
    QSignalSpy answered(w.searchService(), &folio::ui::SearchService::resultsReady);
    w.searchPanel()->scopeBox()->setScope("notes");  // runs the search again
    QTRY_VERIFY_WITH_TIMEOUT(!answered.isEmpty(), 30000);
    QCOMPARE(w.searchPanel()->hits().size(), size_t{1});
    QCOMPARE(w.searchPanel()->hits().front().hit.rel_path, std::string("memo.md"));
  }

  void onlyTheNewestSearchIsShown() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    folio::test::IngestWatch ingest(w.libraryService());
    w.addPaths({QString(FOLIO_RESOURCES_DIR) + "/samples"}, "samples");
    QVERIFY(ingest.waitFinished());
    auto* service = w.searchService();
    auto* panel = w.searchPanel();
    QSignalSpy answered(service, &folio::ui::SearchService::resultsReady);
    connect(service, &folio::ui::SearchService::resultsReady, panel, &folio::ui::SearchPanel::showResults);
    const quint64 older = service->search("termination", {});
    const quint64 newer = service->search("shipment", {});
    panel->expect(newer);
    QTRY_VERIFY_WITH_TIMEOUT(!answered.isEmpty() && answered.last().at(0).toULongLong() == newer, 30000);
    for (const auto& a : answered) QVERIFY(a.at(0).toULongLong() == older || a.at(0).toULongLong() == newer);
    QVERIFY(!panel->hits().empty());
    for (const auto& h : panel->hits()) QVERIFY2(h.text.contains("hipment", Qt::CaseInsensitive), qPrintable(h.text));
  }

  void aLibraryThatCannotBeReadSaysWhy() {
    QTemporaryDir tmp;
    const auto missing = std::filesystem::path(tmp.path().toStdString()) / "none" / "library.sqlite";
    folio::ui::SearchService service(missing);
    folio::ui::SearchPanel panel;
    connect(&service, &folio::ui::SearchService::failed, &panel, &folio::ui::SearchPanel::showError);
    QSignalSpy failed(&service, &folio::ui::SearchService::failed);
    panel.expect(service.search("anything", {}));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QVERIFY2(panel.statusLabel()->text().startsWith("Search failed:"), qPrintable(panel.statusLabel()->text()));
    QVERIFY2(panel.statusLabel()->text().contains("library.sqlite"), qPrintable(panel.statusLabel()->text()));
  }
};

QTEST_MAIN(SearchPanelTest)
#include "test_search_panel.moc"
