// The library item model (checked by QAbstractItemModelTester), the progress text, and the library
// worker on a real temporary library: ingest the sample documents, list them, remove one, re-index one;
// and a schema-v4 library upgraded by the first listing, its progress reported as it goes; the ask
// service waiting (and saying so) while another connection holds that library's write lock.
#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QItemSelectionModel>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

#include "ingest/library/database.h"
#include "support/v4_library.h"
#include "ui/ask_service.h"
#include "ui/library_model.h"
#include "ui/library_panel.h"
#include "ui/library_service.h"
#include "ui/scan_languages_dialog.h"
#include "support/scanned_pdf.h"

using folio::ingest::DocumentRecord;
using folio::ingest::DocumentStatus;
using folio::ui::LibraryModel;

namespace {

DocumentRecord doc(int64_t id, const std::string& collection, const std::string& rel, const std::string& kind,
                   int pages, int lines, DocumentStatus status, const std::string& error = {}) {
  DocumentRecord d;
  d.id = id;
  d.collection = collection;
  d.rel_path = rel;
  d.path = "/data/" + collection + "/" + rel;
  d.kind = kind;
  d.page_count = pages;
  d.line_count = lines;
  d.status = status;
  d.error = error;
  return d;
}

}  // namespace

class LibraryTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void modelPassesTheModelTester() {
    LibraryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDocuments({doc(1, "contracts", "msa.pdf", "pdf", 12, 300, DocumentStatus::Ok),
                        doc(2, "contracts", "broken.pdf", "pdf", 0, 0, DocumentStatus::Failed, "not a PDF: bad header"),
                        doc(3, "code", "src/main.cpp", "code", 0, 120, DocumentStatus::Ok)});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.documentCount(), 3);
    QCOMPARE(model.collections(), QStringList({"contracts", "code"}));
    const QModelIndex contracts = model.index(0, 0);
    QCOMPARE(contracts.data().toString(), QString("contracts"));
    QCOMPARE(model.rowCount(contracts), 2);
    QCOMPARE(model.index(0, LibraryModel::SizeColumn, contracts).data().toString(), QString("12 pages"));
    QCOMPARE(model.index(0, LibraryModel::SizeColumn, model.index(1, 0)).data().toString(), QString("120 lines"));
    QCOMPARE(model.index(0, LibraryModel::SizeColumn).data().toString(), QString("2 documents"));
    QCOMPARE(model.index(1, LibraryModel::SizeColumn).data().toString(), QString("1 document"));
    const QModelIndex broken = model.index(1, LibraryModel::StatusColumn, contracts);
    QCOMPARE(broken.data().toString(), QString("failed"));
    QCOMPARE(broken.data(Qt::ToolTipRole).toString(), QString("failed: not a PDF: bad header"));
    QCOMPARE(model.indexOfDocument(3).data(LibraryModel::PathRole).toString(), QString("/data/code/src/main.cpp"));
    QVERIFY(!model.indexOfDocument(99).isValid());
    QCOMPARE(model.parent(model.index(1, 2, contracts)), contracts);
    // A reset to fewer rows and to none.
    model.setDocuments({doc(3, "code", "src/main.cpp", "code", 0, 120, DocumentStatus::Ok)});
    QCOMPARE(model.rowCount(), 1);
    model.setDocuments(folio::ui::DocumentList{});
    QCOMPARE(model.rowCount(), 0);
  }

  // The listing after an ingest or a removal resets the model: what the user had selected stays
  // selected (documents by id, collections by name), less what is no longer listed.
  void aNewListingKeepsTheSelection() {
    LibraryModel model;
    folio::ui::LibraryPanel panel(&model);
    model.setDocuments({doc(1, "contracts", "msa.pdf", "pdf", 12, 300, DocumentStatus::Ok),
                        doc(2, "contracts", "nda.pdf", "pdf", 3, 80, DocumentStatus::Ok),
                        doc(3, "code", "main.cpp", "code", 0, 120, DocumentStatus::Ok)});
    auto* selection = panel.view()->selectionModel();
    const auto rows = QItemSelectionModel::Select | QItemSelectionModel::Rows;
    selection->select(model.indexOfDocument(2), rows);
    selection->select(model.index(static_cast<int>(model.collections().indexOf("code")), 0), rows);
    model.setDocuments({doc(1, "contracts", "msa.pdf", "pdf", 12, 300, DocumentStatus::Ok),
                        doc(2, "contracts", "nda.pdf", "pdf", 3, 80, DocumentStatus::Ok),
                        doc(3, "code", "main.cpp", "code", 0, 120, DocumentStatus::Ok),
                        doc(4, "contracts", "sow.pdf", "pdf", 5, 90, DocumentStatus::Ok)});
    QStringList kept;
    for (const QModelIndex& i : selection->selectedRows()) {
      const qint64 id = i.data(LibraryModel::DocumentIdRole).toLongLong();
      kept << (id > 0 ? QString::number(id) : i.data(LibraryModel::CollectionRole).toString());
    }
    kept.sort();
    QCOMPARE(kept, QStringList({"2", "code"}));
    model.setDocuments({doc(1, "contracts", "msa.pdf", "pdf", 12, 300, DocumentStatus::Ok)});  // 2 and code gone
    QVERIFY(selection->selectedRows().isEmpty());
  }

  // The filter keeps the documents whose name holds every word (ASCII case ignored), hides collections
  // left empty, and counts what it hides; clearing it shows everything again.
  void modelFiltersByEveryWordOfTheName() {
    LibraryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDocuments({doc(1, "contracts", "msa.pdf", "pdf", 12, 300, DocumentStatus::Ok),
                        doc(2, "code", "src/Main.cpp", "code", 0, 120, DocumentStatus::Ok),
                        doc(3, "code", "src/util.cpp", "code", 0, 40, DocumentStatus::Ok),
                        doc(4, "code", "tests/main_test.cpp", "code", 0, 60, DocumentStatus::Ok)});
    model.setFilter("MAIN src");
    QCOMPARE(model.filter(), QString("MAIN src"));
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex code = model.index(0, 0);
    QCOMPARE(code.data().toString(), QString("code"));
    QCOMPARE(model.rowCount(code), 1);
    QCOMPARE(model.index(0, 0, code).data().toString(), QString("src/Main.cpp"));
    QCOMPARE(model.index(0, LibraryModel::SizeColumn).data().toString(), QString("1 of 3 documents"));
    QCOMPARE(model.documentCount(), 4);
    QCOMPARE(model.shownDocumentCount(), 1);
    QCOMPARE(model.collections(), QStringList({"contracts", "code"}));  // the scopes offered stay all
    QVERIFY(!model.indexOfDocument(1).isValid());
    QVERIFY(!model.indexOfCollection("contracts").isValid());
    QCOMPARE(model.indexOfDocument(2), model.index(0, 0, code));
    QCOMPARE(model.document(model.indexOfDocument(2))->id, int64_t{2});
    model.setFilter("main");
    QCOMPARE(model.shownDocumentCount(), 2);
    model.setFilter("nothing like it");
    QCOMPARE(model.rowCount(), 0);
    // a new listing keeps the filter
    model.setDocuments({doc(5, "papers", "nothing like it.pdf", "pdf", 9, 0, DocumentStatus::Ok)});
    QCOMPARE(model.shownDocumentCount(), 1);
    model.setFilter("");
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, LibraryModel::SizeColumn).data().toString(), QString("1 document"));
  }

  // A large selection survives a new listing as a few ranges (one per run of rows), not one per row:
  // with 100,000 documents selected, saving and restoring it row by row took over ten minutes. The current
  // row, a collapsed collection and the row at the top of the view are kept too.
  void aNewListingKeepsALargeSelectionAndThePlace() {
    LibraryModel model;
    folio::ui::LibraryPanel panel(&model);
    panel.resize(500, 400);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    folio::ui::DocumentList docs;
    for (int i = 1; i <= 5000; ++i) docs.push_back(doc(i, "code", "src/f" + std::to_string(i) + ".cpp", "code", 0, 10, DocumentStatus::Ok));
    docs.push_back(doc(9001, "notes", "a.md", "markdown", 0, 3, DocumentStatus::Ok));
    model.setDocuments(docs);
    QTreeView* view = panel.view();
    auto* selection = view->selectionModel();
    view->collapse(model.indexOfCollection("notes"));
    view->selectAll();
    selection->setCurrentIndex(model.indexOfDocument(2500), QItemSelectionModel::NoUpdate);
    view->scrollTo(model.indexOfDocument(3000), QAbstractItemView::PositionAtTop);
    const QModelIndex top = view->indexAt(QPoint(1, 1));
    QVERIFY(top.isValid());
    const qint64 top_id = top.data(LibraryModel::DocumentIdRole).toLongLong();

    docs.push_back(doc(5001, "code", "src/new.cpp", "code", 0, 10, DocumentStatus::Ok));  // listed after an ingest
    model.setDocuments(docs);
    QVERIFY(selection->selection().size() <= 4);  // code, notes, code's 5,000 rows, notes' row
    QVERIFY(selection->isRowSelected(0, model.indexOfCollection("code")));
    QVERIFY(selection->isSelected(model.indexOfDocument(4999)));
    QVERIFY(!selection->isSelected(model.indexOfDocument(5001)));  // new: was never selected
    QCOMPARE(panel.selectedDocumentIds().size(), qsizetype{5002});  // the collections stand for all theirs
    QCOMPARE(selection->currentIndex(), model.indexOfDocument(2500));
    QVERIFY(view->isExpanded(model.indexOfCollection("code")));
    QVERIFY(!view->isExpanded(model.indexOfCollection("notes")));
    QCOMPARE(view->indexAt(QPoint(1, 1)).data(LibraryModel::DocumentIdRole).toLongLong(), top_id);
  }

  // Typing in the filter box filters once typing pauses; a selected collection then stands for the
  // documents shown, not the ones filtered out.
  void panelFiltersAsYouTypeAndActsOnWhatIsShown() {
    LibraryModel model;
    folio::ui::LibraryPanel panel(&model);
    model.setDocuments({doc(1, "code", "src/main.cpp", "code", 0, 120, DocumentStatus::Ok),
                        doc(2, "code", "src/util.cpp", "code", 0, 40, DocumentStatus::Ok),
                        doc(3, "code", "docs/readme.md", "markdown", 0, 9, DocumentStatus::Ok)});
    QTest::keyClicks(panel.filterEdit(), "src");
    QCOMPARE(model.shownDocumentCount(), 3);  // not at once: it waits for a pause
    QTRY_COMPARE_WITH_TIMEOUT(model.shownDocumentCount(), 2, 5000);
    panel.view()->selectionModel()->select(model.indexOfCollection("code"),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(panel.selectedDocumentIds(), QList<qint64>({1, 2}));
    panel.setFilter("");
    QCOMPARE(model.shownDocumentCount(), 3);
    QCOMPARE(panel.selectedDocumentIds(), QList<qint64>({1, 2, 3}));  // still selected, now all shown
  }

  void progressText() {
    folio::ingest::IngestProgress p;
    p.files_total = 40;
    p.files_done = 10;
    p.pages = 85;
    p.files_per_s = 2.0;
    QCOMPARE(folio::ui::describeProgress(p), QString("10/40 files · 85 pages · 2.0 files/s · ETA 15 s"));
    p.walking = true;
    QVERIFY(folio::ui::describeProgress(p).contains("still looking"));
  }

  // After an update of a chunker the finished line says how many unchanged documents were re-chunked.
  void finishedLineNamesRechunkedDocuments() {
    LibraryModel model;
    folio::ui::LibraryPanel panel(&model);
    const auto shown = [&] {
      QStringList texts;
      for (const QLabel* label : panel.findChildren<QLabel*>()) texts << label->text();
      return texts.join('\n');
    };
    folio::ingest::IngestReport r;
    r.unchanged = 5;
    r.rechunked = 3;
    panel.showFinished(r);
    QVERIFY2(shown().contains("5 unchanged") && shown().contains(" · 3 re-chunked (chunker or reader updated)"),
             qPrintable(shown()));
    r.rechunked = 0;
    panel.showFinished(r);
    QVERIFY2(shown().contains("5 unchanged") && !shown().contains("re-chunked"), qPrintable(shown()));
  }

  void serviceIngestsListsRemovesAndReindexes() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    folio::ui::LibraryService service(std::filesystem::path(tmp.path().toStdString()) / "library.sqlite");
    LibraryModel model;
    folio::ui::LibraryPanel panel(&model);
    connect(&service, &folio::ui::LibraryService::documentsLoaded, &model, qOverload<folio::ui::DocumentListPtr>(&LibraryModel::setDocuments));
    connect(&service, &folio::ui::LibraryService::ingestProgress, &panel, &folio::ui::LibraryPanel::showProgress);
    connect(&service, &folio::ui::LibraryService::ingestFinished, &panel, &folio::ui::LibraryPanel::showFinished);
    QSignalSpy finished(&service, &folio::ui::LibraryService::ingestFinished);
    QSignalSpy failed(&service, &folio::ui::LibraryService::failed);
    QSignalSpy progress(&service, &folio::ui::LibraryService::ingestProgress);

    service.ingest({QString(FOLIO_RESOURCES_DIR) + "/samples"}, "samples");
    QVERIFY(service.writing());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QCOMPARE(failed.count(), 0);
    QVERIFY(progress.count() >= 1);
    const auto report = finished.at(0).at(0).value<folio::ingest::IngestReport>();
    QVERIFY(report.added >= 3);
    QVERIFY(!report.cancelled);
    QTRY_COMPARE_WITH_TIMEOUT(model.documentCount(), static_cast<int>(report.files_seen), 10000);
    QVERIFY(panel.statusLabel()->text().startsWith("Done:"));
    QCOMPARE(model.collections(), QStringList({"samples"}));

    // Remove the contract.
    qint64 contract = 0;
    const QModelIndex samples = model.index(0, 0);
    for (int r = 0; r < model.rowCount(samples); ++r)
      if (model.index(r, 0, samples).data().toString().endsWith("services-agreement.pdf"))
        contract = model.index(r, 0, samples).data(LibraryModel::DocumentIdRole).toLongLong();
    QVERIFY(contract > 0);
    const int before = model.documentCount();
    service.remove({contract});
    QTRY_COMPARE_WITH_TIMEOUT(model.documentCount(), before - 1, 10000);

    // Re-index another document: it is read again in place (same id, same relative path) and nothing else
    // is walked: the removed contract stays removed.
    const QModelIndex first = model.index(0, 0, model.index(0, 0));
    const QString rel = first.data().toString();
    const qint64 id = first.data(LibraryModel::DocumentIdRole).toLongLong();
    QSignalSpy loaded(&service, &folio::ui::LibraryService::documentsLoaded);
    service.reindex({id});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 120000);
    const auto again = finished.at(1).at(0).value<folio::ingest::IngestReport>();
    QCOMPARE(again.updated, size_t{1});
    QCOMPARE(again.files_seen, size_t{1});
    QCOMPARE(again.added + again.removed, size_t{0});
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
    QCOMPARE(model.documentCount(), before - 1);
    bool found = false;
    for (int r = 0; r < model.rowCount(model.index(0, 0)); ++r) {
      const QModelIndex doc = model.index(r, 0, model.index(0, 0));
      found = found || (doc.data().toString() == rel && doc.data(LibraryModel::DocumentIdRole).toLongLong() == id);
    }
    QVERIFY(found);
  }

  // A file added on its own is re-indexed on its own: its folder's other files stay out of the library.
  void reindexOfAFileAddedOnItsOwnReadsOnlyThatFile() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QDir().mkpath(tmp.filePath("downloads"));
    for (const char* name : {"contract.txt", "holiday.txt", "recipe.txt"}) {
      QFile f(tmp.filePath(QString("downloads/") + name));
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QByteArray("The text of ") + name + "\n");
    }
    folio::ui::LibraryService service(std::filesystem::path(tmp.path().toStdString()) / "library.sqlite");
    QSignalSpy finished(&service, &folio::ui::LibraryService::ingestFinished);
    QSignalSpy loaded(&service, &folio::ui::LibraryService::documentsLoaded);
    service.ingest({tmp.filePath("downloads/contract.txt")}, "contracts");
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
    const auto docs = *loaded.at(0).at(0).value<folio::ui::DocumentListPtr>();
    QCOMPARE(docs.size(), size_t{1});
    service.reindex({docs[0].id});
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 10000);
    const auto after = *loaded.at(1).at(0).value<folio::ui::DocumentListPtr>();
    QCOMPARE(after.size(), size_t{1});
    QCOMPARE(after[0].rel_path, std::string("contract.txt"));
    QCOMPARE(after[0].id, docs[0].id);
    QCOMPARE(finished.at(1).at(0).value<folio::ingest::IngestReport>().updated, size_t{1});
  }

  // Library › Scan languages…: the dialog lists the collection's languages first (one not installed shown
  // but not checkable), then Tesseract's others; "eng" alone is the default ("").
  void scanLanguagesDialogListsTheCollectionsLanguagesFirst() {
    folio::ui::ScanLanguagesDialog dialog("scans", "deu+eng", {"eng", "fra", "osd"});
    QListWidget* list = dialog.list();
    QCOMPARE(list->count(), 3);  // deu, eng, fra: osd is orientation data, not a language
    QCOMPARE(list->item(0)->text(), QString("deu"));
    QVERIFY(!(list->item(0)->flags() & Qt::ItemIsUserCheckable));  // not installed
    QVERIFY(list->item(0)->toolTip().contains("tesseract-ocr-deu"));
    QCOMPARE(list->item(1)->checkState(), Qt::Checked);
    QCOMPARE(dialog.languages(), QString());
    list->item(2)->setCheckState(Qt::Checked);
    QCOMPARE(dialog.languages(), QString("eng+fra"));
    list->item(1)->setCheckState(Qt::Unchecked);
    QCOMPARE(dialog.languages(), QString("fra"));
  }

  // Setting a collection's scan languages keeps them and reads its scanned documents again in them; the
  // text files beside them are not read again.
  void settingScanLanguagesReadsTheCollectionsScansAgain() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QDir().mkpath(tmp.filePath("scans"));
    folio::test::PdfPageSpec page;
    page.image = folio::test::renderTextPage({"NOTICE TO QUIT", "The tenant shall leave by March."}, 100);
    QFile pdf(tmp.filePath("scans/notice.pdf"));
    QVERIFY(pdf.open(QIODevice::WriteOnly));
    const std::string bytes = folio::test::writeMixedPdf({page});
    pdf.write(bytes.data(), static_cast<qint64>(bytes.size()));
    pdf.close();
    QFile note(tmp.filePath("scans/note.txt"));
    QVERIFY(note.open(QIODevice::WriteOnly));
    note.write("A note beside the scan.\n");
    note.close();
    folio::ui::LibraryService service(std::filesystem::path(tmp.path().toStdString()) / "library.sqlite");
    QSignalSpy finished(&service, &folio::ui::LibraryService::ingestFinished);
    QSignalSpy languages(&service, &folio::ui::LibraryService::scanLanguagesLoaded);
    service.ingest({tmp.filePath("scans")}, "scans");
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
    QCOMPARE(finished.at(0).at(0).value<folio::ingest::IngestReport>().ocr_pages, int64_t{1});
    service.loadScanLanguages("scans");
    QTRY_COMPARE_WITH_TIMEOUT(languages.count(), 1, 10000);
    QCOMPARE(languages.at(0).at(1).toString(), QString());
    QVERIFY(languages.at(0).at(2).toStringList().contains("eng"));

    // "eng+eng" is another setting to Tesseract's syntax that needs no other language data.
    service.setScanLanguages("scans", "eng+eng");
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 120000);
    const auto report = finished.at(1).at(0).value<folio::ingest::IngestReport>();
    QCOMPARE(report.updated, size_t{1});  // the scan; not the note
    QCOMPARE(report.ocr_pages, int64_t{1});
    service.loadScanLanguages("scans");
    QTRY_COMPARE_WITH_TIMEOUT(languages.count(), 2, 10000);
    QCOMPARE(languages.at(1).at(1).toString(), QString("eng+eng"));
  }

  // Removing thousands of documents says how far it is, and stops (between committed batches) when the
  // window closes instead of holding the close for the whole removal.
  void removingManyDocumentsReportsAndStopsOnShutdown() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QDir().mkpath(tmp.filePath("notes"));
    for (int i = 0; i < 3000; ++i) {
      QFile f(tmp.filePath(QString("notes/n%1.txt").arg(i)));
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QString("Note %1 about the depot.\n").arg(i).toUtf8());
    }
    const auto path = std::filesystem::path(tmp.path().toStdString()) / "library.sqlite";
    QList<qint64> ids;
    {
      folio::ui::LibraryService service(path);
      QSignalSpy finished(&service, &folio::ui::LibraryService::ingestFinished);
      QSignalSpy loaded(&service, &folio::ui::LibraryService::documentsLoaded);
      service.ingest({tmp.filePath("notes")}, "notes");
      QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
      QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
      for (const auto& d : *loaded.at(0).at(0).value<folio::ui::DocumentListPtr>()) ids << d.id;
      QCOMPARE(ids.size(), 3000);

      // Half of them, to the end: progress after each batch, the last one complete.
      QSignalSpy removing(&service, &folio::ui::LibraryService::removeProgress);
      service.remove(ids.mid(0, 1500));
      QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 60000);
      QCOMPARE(loaded.at(1).at(0).value<folio::ui::DocumentListPtr>()->size(), size_t{1500});
      QVERIFY(removing.count() >= 2);
      QCOMPARE(removing.last().at(0).toLongLong(), 1500);
      QCOMPARE(removing.last().at(1).toLongLong(), 1500);

      // The other half, with the window closing at once: the removal stops.
      service.remove(ids.mid(1500));
      service.shutdown();
    }
    auto lib = folio::ingest::Library::open(path);
    QVERIFY(lib);
    auto left = lib->documents();
    QVERIFY(left);
    QVERIFY2(!left->empty(), "the removal went on after shutdown()");
    QCOMPARE(left->size() % 500, size_t{0});  // whole batches, each committed or not at all
  }

  // Cancel in the panel stops a removal between batches: what was removed stays removed (whole batches)
  // and the panel says how many; while it runs only Cancel is offered.
  void cancelStopsARemovalBetweenBatches() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    QDir().mkpath(tmp.filePath("notes"));
    constexpr int kNotes = 4000;
    for (int i = 0; i < kNotes; ++i) {
      QFile f(tmp.filePath(QString("notes/n%1.txt").arg(i)));
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QString("Note %1 about the depot.\n").arg(i).toUtf8());
    }
    const auto path = std::filesystem::path(tmp.path().toStdString()) / "library.sqlite";
    folio::ui::LibraryService service(path);
    LibraryModel model;
    folio::ui::LibraryPanel panel(&model);
    connect(&service, &folio::ui::LibraryService::writingChanged, &panel,
            &folio::ui::LibraryPanel::setWriting);
    connect(&service, &folio::ui::LibraryService::removeProgress, &panel,
            &folio::ui::LibraryPanel::showRemoving);
    connect(&service, &folio::ui::LibraryService::removeFinished, &panel,
            &folio::ui::LibraryPanel::showRemoveFinished);
    connect(&panel, &folio::ui::LibraryPanel::cancelRequested, &service, &folio::ui::LibraryService::cancel);
    QSignalSpy ingested(&service, &folio::ui::LibraryService::ingestFinished);
    QSignalSpy loaded(&service, &folio::ui::LibraryService::documentsLoaded);
    service.ingest({tmp.filePath("notes")}, "notes");
    QTRY_COMPARE_WITH_TIMEOUT(ingested.count(), 1, 120000);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
    QList<qint64> ids;
    for (const auto& d : *loaded.at(0).at(0).value<folio::ui::DocumentListPtr>()) ids << d.id;
    QCOMPARE(ids.size(), kNotes);

    auto* remove = panel.findChild<QPushButton*>("removeButton");
    auto* reindex = panel.findChild<QPushButton*>("reindexButton");
    auto* add = panel.findChild<QPushButton*>("addFilesButton");
    QVERIFY(remove && reindex && add);
    // Cancel as soon as the first batch is in.
    connect(&service, &folio::ui::LibraryService::removeProgress, this, [&](qint64 done, qint64) {
      if (done > 0 && panel.cancelButton()->isEnabled())
        QTest::mouseClick(panel.cancelButton(), Qt::LeftButton);
    });
    QSignalSpy finished(&service, &folio::ui::LibraryService::removeFinished);
    service.remove(ids);
    QVERIFY(service.writing());
    QVERIFY(panel.cancelButton()->isEnabled());
    QVERIFY(!remove->isEnabled() && !reindex->isEnabled() && !add->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    const qint64 removed = finished.at(0).at(0).toLongLong();
    QCOMPARE(finished.at(0).at(1).toLongLong(), qint64{kNotes});
    QVERIFY2(removed > 0 && removed < kNotes, qPrintable(QString::number(removed)));
    QCOMPARE(removed % 500, qint64{0});
    QVERIFY(!service.writing());
    QVERIFY(!panel.cancelButton()->isEnabled());
    QVERIFY(remove->isEnabled() && reindex->isEnabled() && add->isEnabled());
    QCOMPARE(panel.statusLabel()->text(),
             QString("Removal stopped: %L1 of 4,000 documents removed.").arg(removed));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 10000);
    QCOMPARE(loaded.at(1).at(0).value<folio::ui::DocumentListPtr>()->size(), size_t(kNotes - removed));
  }

  void serviceReportsTheUpgradeOfAnOldLibrary() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const auto path = std::filesystem::path(tmp.path().toStdString()) / "v4.sqlite";
    std::vector<folio::ingest::Chunk> chunks(25000);  // two re-index batches of 20,000
    for (size_t i = 0; i < chunks.size(); ++i) chunks[i].text = "clause " + std::to_string(i) + " of the contract";
    auto made = folio::test::createV4Library(path, chunks, 1000);
    QVERIFY2(made, made ? "" : made.error().message.c_str());
    folio::ui::LibraryService service(path);
    QSignalSpy upgrading(&service, &folio::ui::LibraryService::libraryUpgrading);
    QSignalSpy loaded(&service, &folio::ui::LibraryService::documentsLoaded);
    QSignalSpy failed(&service, &folio::ui::LibraryService::failed);
    service.reload();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(loaded.at(0).at(0).value<folio::ui::DocumentListPtr>()->size(), size_t{25});
    QCOMPARE(upgrading.count(), 3);  // before the work, after each batch
    QCOMPARE(upgrading.at(0).at(0).toLongLong(), 0);
    QCOMPARE(upgrading.at(2).at(0).toLongLong(), 25000);
    QCOMPARE(upgrading.at(2).at(1).toLongLong(), 25000);
    service.reload();  // upgraded once: no more reports
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 10000);
    QCOMPARE(upgrading.count(), 3);
  }

  void askServiceWaitsForAnotherWriterDuringTheUpgrade() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const auto path = std::filesystem::path(tmp.path().toStdString()) / "v4.sqlite";
    std::vector<folio::ingest::Chunk> chunks(300);
    for (size_t i = 0; i < chunks.size(); ++i) chunks[i].text = "clause " + std::to_string(i) + " of the contract";
    auto made = folio::test::createV4Library(path, chunks, 100);
    QVERIFY2(made, made ? "" : made.error().message.c_str());
    auto other = folio::ingest::Database::open(path);  // another process, mid-write
    QVERIFY(other);
    QVERIFY(other->exec("BEGIN IMMEDIATE"));

    folio::ui::AskService service(path);
    QSignalSpy progress(&service, &folio::ui::AskService::progress);
    QSignalSpy history(&service, &folio::ui::AskService::historyLoaded);
    service.loadHistory();
    QTRY_VERIFY_WITH_TIMEOUT(progress.count() >= 1, 5000);
    QCOMPARE(progress.at(0).at(0).toString(), QString("Waiting for the library index upgrade to finish…"));
    QTest::qWait(700);  // still waiting, and said so only once
    QCOMPARE(progress.count(), 1);
    QCOMPARE(history.count(), 0);
    QVERIFY(other->exec("ROLLBACK"));  // the lock frees: the service upgrades the library itself
    QTRY_COMPARE_WITH_TIMEOUT(history.count(), 1, 30000);
    QCOMPARE(progress.count(), 2);
    QCOMPARE(progress.at(1).at(0).toString(), QString("Upgrading the library index…"));
  }
};

QTEST_MAIN(LibraryTest)
#include "test_library.moc"
