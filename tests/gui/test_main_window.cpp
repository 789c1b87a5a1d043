// The main window opens on the offscreen platform, says which mode it is in, and remembers settings;
// the model dialog's backend and CUDA devices persist and apply, and a CUDA choice that cannot run
// reaches the ask panel as the engine's message; a file name that is not UTF-8 opens in the reader
// and can be dropped on its own.
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDropEvent>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTemporaryDir>
#include <QListWidget>
#include <QTreeView>
#include <QtTest>
#include <fstream>
#include <memory>

#include "ingest/library/library.h"
#include "ui/ask_panel.h"
#include "ui/ask_service.h"
#include "ui/code_view.h"
#include "ui/export_dialog.h"
#include "ui/gui_settings.h"
#include "ui/library_model.h"
#include "ui/library_panel.h"
#include "ui/library_service.h"
#include "ui/main_window.h"
#include "ui/model_dialog.h"
#include "ui/model_service.h"
#include "ui/pdf_view.h"
#include "ui/reader_panel.h"
#include "ui/scan_languages_dialog.h"
#include "tests/gui/fresh_window.h"
#include "tests/gui/ingest_watch.h"

namespace {

using folio::test::optionsIn;

const QString kModel = QString(FOLIO_FIXTURES_DIR) + "/models/tiny-f32-h4-ls";

// A window on a one-document library with the tiny model loaded, asking one question with a backend
// and device list chosen in the settings.
struct PlacedAsk {
  QTemporaryDir tmp;
  std::unique_ptr<folio::ui::MainWindow> window;
  bool ask_button_enabled = false;

  // The ask panel's message after asking (once the question failed when `wait_for_failure`); empty when
  // the set-up failed (the test then fails on it).
  QString ask(const QString& backend, const QString& devices, bool wait_for_failure) {
    const folio::ui::MainWindowOptions o = optionsIn(tmp);
    window = std::make_unique<folio::ui::MainWindow>(o);
    QDir().mkpath(tmp.filePath("notes"));
    QFile notes(tmp.filePath("notes/shipping.md"));
    if (!notes.open(QIODevice::WriteOnly)) return {};
    notes.write("# Shipping\n\nParcels leave the Harbor depot every Tuesday.\n");
    notes.close();
    folio::test::IngestWatch ingest(window->libraryService());
    window->addPaths({tmp.filePath("notes")}, "notes");
    if (!ingest.waitFinished()) return {};
    QSignalSpy model(window.get(), &folio::ui::MainWindow::modelChanged);
    window->loadModel(kModel);
    if (!QTest::qWaitFor([&] { return model.count() == 1; }, 60000) || !window->modelLoaded()) return {};
    folio::ui::GuiSettings s = window->settings();
    s.threads = 1;
    s.backend = backend;
    s.devices = devices;
    window->setSettings(s);
    QSignalSpy failed(window->askService(), &folio::ui::AskService::askFailed);
    auto* panel = window->askPanel();
    panel->questionEdit()->setText("When do parcels leave?");
    QTest::mouseClick(panel->askButton(), Qt::LeftButton);
    if (wait_for_failure && !QTest::qWaitFor([&] { return failed.count() == 1; }, 60000)) return {};
    ask_button_enabled = panel->askButton()->isEnabled();
    auto* progress = panel->findChild<QLabel*>("askProgress");
    return progress ? progress->text() : QString();
  }
};

}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void opensWithLibraryAndMode() {
    QTemporaryDir tmp;
    const folio::ui::MainWindowOptions o = optionsIn(tmp);
    folio::ui::MainWindow w(o);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.windowTitle(), QString("Folio"));
    QVERIFY(w.libraryView() != nullptr);
    QCOMPARE(w.modeLabel()->objectName(), QString("modeLabel"));
    QVERIFY(w.modeLabel()->text().contains("Extractive mode"));
    QVERIFY(!w.modelLoaded());
    // Save a screenshot as a test artefact so people can look at the window.
    const QByteArray dir = qgetenv("FOLIO_TEST_ARTIFACTS");
    if (!dir.isEmpty()) {
      QDir().mkpath(QString::fromLocal8Bit(dir));
      QVERIFY(w.grab().save(QString::fromLocal8Bit(dir) + "/main_window.png"));
    }
  }

  // Every shortcut of the window is taken once: two window-wide actions or shortcuts on one key are
  // ambiguous to Qt, and neither fires (the library filter once took Ctrl+L, the question box's key).
  // Library > Filter the library then focuses the filter box on the library tab.
  void shortcutsAreUniqueAndTheFilterOneFocusesTheFilter() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QMap<QString, QString> owner;
    const auto take = [&](const QKeySequence& key, const QString& what) {
      if (key.isEmpty()) return;
      QVERIFY2(!owner.contains(key.toString()),
               qPrintable(key.toString() + " is both " + owner.value(key.toString()) + " and " + what));
      owner.insert(key.toString(), what);
    };
    for (QAction* a : w.findChildren<QAction*>())
      for (const QKeySequence& key : a->shortcuts()) take(key, a->text());
    for (QShortcut* s : w.findChildren<QShortcut*>()) take(s->key(), s->objectName());
    if (QTest::currentTestFailed()) return;
    QVERIFY(owner.contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L).toString()));

    w.showSearch();
    auto* filter = w.findChild<QAction*>("filterAction");
    QVERIFY(filter);
    filter->trigger();
    QCOMPARE(w.libraryPanel()->isVisible(), true);
    QTRY_VERIFY(w.libraryPanel()->filterEdit()->hasFocus());
  }

  // The window fits a 1366 x 768 screen (a taskbar and a title bar left over): the routing and budget
  // panels scroll instead of holding the window at 904 px tall with the status bar off the screen.
  void fitsASmallScreen() {
    QTemporaryDir tmp;
    const folio::ui::MainWindowOptions o = optionsIn(tmp);
    folio::ui::MainWindow w(o);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY2(w.minimumSizeHint().height() <= 680, qPrintable(QString::number(w.minimumSizeHint().height())));
    QVERIFY2(w.minimumSizeHint().width() <= 1300, qPrintable(QString::number(w.minimumSizeHint().width())));
    w.resize(1300, 680);
    QTRY_COMPARE(w.size(), QSize(1300, 680));
  }

  // With no answer on screen and no collection in the scope there is nothing to export: the dialog
  // says so and offers no Export (it used to fail with 'session "": no collection of that name').
  void exportWithNothingToExportIsNotOffered() {
    folio::ui::ExportDialog nothing(0, QString(), "pdf", QDir::tempPath());
    auto* ok = nothing.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled());
    folio::ui::ExportDialog answer(7, QString(), "md", QDir::tempPath());
    QVERIFY(answer.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled());
    QVERIFY(!answer.exportSession());
    folio::ui::ExportDialog session(0, "contracts", "html", QDir::tempPath());
    QVERIFY(session.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled());
    QVERIFY(session.exportSession());
  }

  void aBadModelDirectoryStaysExtractive() {
    QTemporaryDir tmp;
    const folio::ui::MainWindowOptions o = optionsIn(tmp);
    folio::ui::MainWindow w(o);
    QSignalSpy changed(&w, &folio::ui::MainWindow::modelChanged);
    w.loadModel(tmp.path());  // no config.json
    QVERIFY(w.modeLabel()->text().startsWith("Loading model"));
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
    QVERIFY(!w.modelLoaded());
    QVERIFY(w.modeLabel()->text().contains("Extractive mode"));
  }

  void settingsRoundTrip() {
    QTemporaryDir tmp;
    QSettings s(tmp.filePath("folio.ini"), QSettings::IniFormat);
    folio::ui::GuiSettings g;
    g.model_dir = "/models/m1";
    g.expert_threshold = 0.8;
    g.thinking_budget = 64;
    g.answer_budget = 32;
    g.context_window = 4096;
    g.max_documents = 40;
    g.threads = 3;
    g.backend = "auto";
    g.devices = "1";
    g.collection = "contracts";
    g.scope = "contracts";
    g.export_format = "md";
    g.save(s);
    s.sync();
    QSettings r(tmp.filePath("folio.ini"), QSettings::IniFormat);
    const auto back = folio::ui::GuiSettings::load(r);
    QCOMPARE(back.model_dir, g.model_dir);
    QCOMPARE(back.expert_threshold, 0.8);
    QCOMPARE(back.thinking_budget, 64);
    QCOMPARE(back.answer_budget, 32);
    QCOMPARE(back.context_window, 4096);
    QCOMPARE(back.max_documents, 40);
    QCOMPARE(back.threads, 3);
    QCOMPARE(back.backend, QString("auto"));
    QCOMPARE(back.devices, QString("1"));
    QCOMPARE(back.collection, QString("contracts"));
    QCOMPARE(back.export_format, QString("md"));
  }

  void unknownBackendInSettingsFallsBackToCpu() {
    QTemporaryDir tmp;
    QSettings s(tmp.filePath("folio.ini"), QSettings::IniFormat);
    s.setValue("model/backend", "tpu");
    s.sync();
    QCOMPARE(folio::ui::GuiSettings::load(s).backend, QString("cpu"));
    QSettings empty(tmp.filePath("empty.ini"), QSettings::IniFormat);
    const auto defaults = folio::ui::GuiSettings::load(empty);
    QCOMPARE(defaults.backend, QString("cpu"));
    QVERIFY(defaults.devices.isEmpty());
  }

  void modelDialogShowsAndAppliesBackendAndDevices() {
    folio::ui::ModelService service;
    folio::ui::GuiSettings g;
    g.backend = "auto";
    g.devices = "1";
    folio::ui::ModelDialog dialog(&service, g);
    QCOMPARE(dialog.backendBox()->currentData().toString(), QString("auto"));
    QCOMPARE(dialog.devicesEdit()->text(), QString("1"));
    QCOMPARE(dialog.backendBox()->count(), 3);
    QCOMPARE(dialog.maxDocumentsBox()->value(), folio::app::AskOptions{}.max_documents);  // the same default
    dialog.maxDocumentsBox()->setValue(0);  // every document

    dialog.backendBox()->setCurrentIndex(dialog.backendBox()->findData("cuda"));
    QVERIFY(dialog.backendBox()->currentIndex() >= 0);
    dialog.devicesEdit()->clear();
    QTest::keyClicks(dialog.devicesEdit(), "0x");  // the validator refuses the letter
    QCOMPARE(dialog.devicesEdit()->text(), QString("0"));
    folio::ui::GuiSettings applied;
    dialog.apply(applied);
    QCOMPARE(applied.backend, QString("cuda"));
    QCOMPARE(applied.devices, QString("0"));
    QCOMPARE(applied.max_documents, 0);

    // What the dialog applied survives a restart.
    QTemporaryDir tmp;
    QSettings s(tmp.filePath("folio.ini"), QSettings::IniFormat);
    applied.save(s);
    s.sync();
    QSettings r(tmp.filePath("folio.ini"), QSettings::IniFormat);
    const auto back = folio::ui::GuiSettings::load(r);
    QCOMPARE(back.backend, QString("cuda"));
    QCOMPARE(back.devices, QString("0"));
    QCOMPARE(back.max_documents, 0);
  }

  // Device 99 exists on no machine: with or without CUDA in the build, the question fails with the
  // engine's reason in the ask panel, and the window keeps running with the ask button usable again.
  void cudaThatCannotRunIsShownInTheAskPanel() {
    PlacedAsk placed;
    const QString shown = placed.ask("cuda", "99", /*wait_for_failure=*/true);
    QVERIFY2(shown.contains("CUDA backend requested but "), qPrintable(shown));
    QVERIFY(placed.ask_button_enabled);
  }

  void aBadDeviceListIsShownInTheAskPanel() {
    PlacedAsk placed;
    // "0," is what the field holds while a second device is being typed.
    const QString shown = placed.ask("cuda", "0,", /*wait_for_failure=*/false);
    QVERIFY2(shown.contains("devices: '' in '0,' is not a device number"), qPrintable(shown));
    QVERIFY(placed.ask_button_enabled);
  }

  // A document the library skipped opens as the reason it was skipped, not as its bytes; a text file's
  // title names no page.
  void aSkippedDocumentSaysWhyInTheReader() {
    QTemporaryDir tmp;
    QDir().mkpath(tmp.filePath("docs"));
    QFile bin(tmp.filePath("docs/blob.bin"));
    QVERIFY(bin.open(QIODevice::WriteOnly));
    bin.write(QByteArray("\x00\x01\x02 binary", 10).repeated(100));
    bin.close();
    QFile notes(tmp.filePath("docs/notes.txt"));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("Parcels leave on Tuesday.\n");
    notes.close();
    const folio::ui::MainWindowOptions o = optionsIn(tmp);
    folio::ui::MainWindow w(o);
    folio::test::IngestWatch ingest(w.libraryService());
    w.addPaths({tmp.filePath("docs")}, "docs");
    QVERIFY(ingest.waitFinished());
    QTRY_COMPARE_WITH_TIMEOUT(w.libraryModel()->documentCount(), 2, 10000);
    qint64 blob = 0, text = 0;
    const QModelIndex docs = w.libraryModel()->index(0, 0);
    for (int r = 0; r < 2; ++r) {
      const QModelIndex i = w.libraryModel()->index(r, 0, docs);
      (i.data().toString() == "blob.bin" ? blob : text) = i.data(folio::ui::LibraryModel::DocumentIdRole).toLongLong();
    }
    QVERIFY(blob > 0 && text > 0);
    QSignalSpy failed(w.reader(), &folio::ui::ReaderPanel::failed);
    QSignalSpy shown(w.reader(), &folio::ui::ReaderPanel::shown);
    w.openDocument(blob);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    const QString why = failed.at(0).at(0).toString();
    QVERIFY2(why.contains("blob.bin") && why.contains("skipped: binary"), qPrintable(why));
    QCOMPARE(w.reader()->findChild<QLabel*>("readerMessage")->text(), why);
    w.openDocument(text);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 10000);
    const QString title = w.reader()->findChild<QLabel*>("readerTitle")->toolTip();
    QVERIFY2(title.endsWith("notes.txt"), qPrintable(title));
  }
  // A file skipped as too large: the reader says so and offers the size cap that reads it; taking the
  // offer keeps that cap with the collection and reads the file, which then opens.
  void aFileTooLargeCanBeReadFromTheReader() {
    QTemporaryDir tmp;
    QDir().mkpath(tmp.filePath("src"));
    QFile big(tmp.filePath("src/parser.c"));
    QVERIFY(big.open(QIODevice::WriteOnly));
    const QByteArray line = "int generated(int x) { return x * 3 + 1; }\n";
    big.write(line.repeated((3 << 20) / line.size() + 1));  // just over 3 MiB: the code cap is 2 MiB
    big.close();
    const folio::ui::MainWindowOptions o = optionsIn(tmp);
    folio::ui::MainWindow w(o);
    folio::test::IngestWatch ingest(w.libraryService());
    w.addPaths({tmp.filePath("src")}, "src");
    QVERIFY(ingest.waitFinished());
    QTRY_COMPARE_WITH_TIMEOUT(w.libraryModel()->documentCount(), 1, 10000);
    const QModelIndex doc = w.libraryModel()->index(0, 0, w.libraryModel()->index(0, 0));
    const qint64 id = doc.data(folio::ui::LibraryModel::DocumentIdRole).toLongLong();
    QSignalSpy failed(w.reader(), &folio::ui::ReaderPanel::failed);
    w.openDocument(id);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QVERIFY2(failed.at(0).at(0).toString().contains("too large"), qPrintable(failed.at(0).at(0).toString()));
    auto* offer = w.reader()->findChild<QPushButton*>("readLargerFileButton");
    QVERIFY(offer && offer->isVisibleTo(w.reader()));
    QCOMPARE(offer->text(), QString("Read files up to 4 MiB in this collection"));
    QTest::mouseClick(offer, Qt::LeftButton);
    QVERIFY(ingest.waitFinished(2));
    QTRY_VERIFY_WITH_TIMEOUT(w.libraryModel()->document(w.libraryModel()->indexOfDocument(id)) &&
                                 w.libraryModel()->document(w.libraryModel()->indexOfDocument(id))->status ==
                                     folio::ingest::DocumentStatus::Ok,
                             20000);
    QSignalSpy shown(w.reader(), &folio::ui::ReaderPanel::shown);
    w.openDocument(id);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 20000);
    QVERIFY(!offer->isVisibleTo(w.reader()));
    auto lib = folio::ingest::Library::open(w.libraryPath());
    QVERIFY(lib);
    QCOMPARE(*lib->collectionMaxFileBytes(*lib->ensureCollection("src")), uint64_t{4} << 20);
  }

  // File names that are not UTF-8 (Latin-1 "été" from an old archive: byte 0xE9) open in the reader, as
  // text, code and PDF, and such a file dropped on its own is added: the path travels as bytes, never
  // through a QString (Qt 6 turns the byte into U+FFFD and looks for another file).
  void aNameThatIsNotUtf8OpensInTheReaderAndCanBeDropped() {
    QTemporaryDir tmp;
    const std::filesystem::path root = tmp.path().toStdString();
    // QTemporaryDir cannot remove names it cannot spell: remove them by their bytes.
    struct RemoveAll {
      std::filesystem::path dir;
      ~RemoveAll() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
      }
    } cleanup{root};
    std::filesystem::create_directories(root / "archive");
    std::filesystem::create_directories(root / "single");
    auto write = [](const std::filesystem::path& p, const char* text) {
      std::ofstream(p, std::ios::binary) << text;
      return std::filesystem::exists(p);
    };
    QVERIFY(write(root / "archive" / "contrat_\xe9t\xe9.txt", "Le contrat court tout l'ete.\n"));
    QVERIFY(write(root / "archive" / "calcul_\xe9t\xe9.py", "def total(x):\n    return x + 1\n"));
    std::filesystem::copy_file(std::filesystem::path(FOLIO_FIXTURES_DIR) / "pdf/two_pages.pdf",
                               root / "archive" / "rapport_\xe9t\xe9.pdf");
    const std::filesystem::path dropped = root / "single" / "note_\xe9t\xe9.txt";
    QVERIFY(write(dropped, "Une note seule.\n"));

    folio::ui::MainWindowOptions o;
    o.library = root / "library.sqlite";
    o.remember = false;
    folio::ui::MainWindow w(o);
    folio::test::IngestWatch ingest(w.libraryService());
    w.addPaths({tmp.filePath("archive")}, "archive");
    QVERIFY(ingest.waitFinished());
    QTRY_COMPARE_WITH_TIMEOUT(w.libraryModel()->documentCount(), 3, 10000);
    // The id of the document whose stored path ends with these bytes (0 when none).
    auto idOf = [&w](const std::string& name) -> qint64 {
      folio::ui::LibraryModel* m = w.libraryModel();
      for (int c = 0; c < m->rowCount(); ++c)
        for (int r = 0; r < m->rowCount(m->index(c, 0)); ++r)
          if (const auto* d = m->document(m->index(r, 0, m->index(c, 0))); d && d->path.ends_with("/" + name)) return d->id;
      return 0;
    };
    QSignalSpy shown(w.reader(), &folio::ui::ReaderPanel::shown);
    QSignalSpy failed(w.reader(), &folio::ui::ReaderPanel::failed);
    const qint64 text = idOf("contrat_\xe9t\xe9.txt"), code = idOf("calcul_\xe9t\xe9.py"), pdf = idOf("rapport_\xe9t\xe9.pdf");
    QVERIFY(text > 0 && code > 0 && pdf > 0);
    w.openDocument(text);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count() + failed.count(), 1, 10000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    QVERIFY(w.reader()->codeView()->toPlainText().startsWith("Le contrat court"));
    w.openDocument(code);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count() + failed.count(), 2, 10000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    QVERIFY(w.reader()->codeView()->toPlainText().startsWith("def total(x):"));
    w.openDocument(pdf);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count() + failed.count(), 3, 10000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    QVERIFY(w.reader()->showingPdf());
    QCOMPARE(w.reader()->pdfView()->pageCount(), 2);

    // A drop carries a text/uri-list, the name percent-encoded byte for byte (as file managers send it).
    QMimeData mime;
    mime.setData("text/uri-list", "file://" + QByteArray::fromStdString(dropped.native()).toPercentEncoding("/") + "\r\n");
    // Enter first: Qt delivers the drop to the widget that accepted the enter.
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w.libraryPanel(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(w.libraryPanel(), &drop);
    QVERIFY(drop.isAccepted());
    QVERIFY(ingest.waitFinished(2));
    QTRY_COMPARE_WITH_TIMEOUT(w.libraryModel()->documentCount(), 4, 10000);
    const qint64 note = idOf("note_\xe9t\xe9.txt");
    QVERIFY(note > 0);
    w.openDocument(note);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count() + failed.count(), 4, 10000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    QVERIFY(w.reader()->codeView()->toPlainText().startsWith("Une note seule."));
  }

  // The question's scope (a collection) is remembered like the rest: after a restart the scope box
  // shows it again once the library is listed.
  void scopeSurvivesARestart() {
    QTemporaryDir tmp;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, tmp.filePath("config"));
    QCoreApplication::setOrganizationName("Folio");
    QCoreApplication::setApplicationName("Folio");
    for (const char* c : {"contracts", "papers"}) {
      QDir().mkpath(tmp.filePath(c));
      QFile f(tmp.filePath(QString(c) + "/a.txt"));
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QByteArray("A note in ") + c + "\n");
    }
    folio::ui::MainWindowOptions o;
    o.library = std::filesystem::path(tmp.path().toStdString()) / "library.sqlite";
    {
      folio::ui::MainWindow w(o);
      folio::test::IngestWatch ingest(w.libraryService());
      w.addPaths({tmp.filePath("contracts")}, "contracts");
      QVERIFY(ingest.waitFinished(1));
      w.addPaths({tmp.filePath("papers")}, "papers");
      QVERIFY(ingest.waitFinished(2));
      QTRY_COMPARE_WITH_TIMEOUT(w.libraryModel()->collections().size(), 2, 10000);
      w.askPanel()->setScope("contracts");
      QCOMPARE(w.askPanel()->scope(), QString("contracts"));
      w.close();
    }
    folio::ui::MainWindow again(o);
    QTRY_COMPARE_WITH_TIMEOUT(again.libraryModel()->collections().size(), 2, 10000);
    QCOMPARE(again.askPanel()->scope(), QString("contracts"));
    QCOMPARE(again.libraryPanel()->collection(), QString("papers"));
  }

  // Where the user dragged the splitters is remembered like the window's size: after a restart the
  // answer column and the reader have the widths and heights they were given.
  void splitterPositionsSurviveARestart() {
    QTemporaryDir tmp;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, tmp.filePath("config"));
    QCoreApplication::setOrganizationName("Folio");
    QCoreApplication::setApplicationName("Folio");
    folio::ui::MainWindowOptions o;
    o.library = std::filesystem::path(tmp.path().toStdString()) / "library.sqlite";
    QList<int> main_sizes, answer_sizes;
    {
      folio::ui::MainWindow w(o);
      w.resize(1400, 860);
      w.show();
      QVERIFY(QTest::qWaitForWindowExposed(&w));
      auto* main = w.findChild<QSplitter*>("mainSplitter");
      auto* answer = w.findChild<QSplitter*>("answerSplitter");
      QVERIFY(main && answer);
      // The answer gets most of the column by default.
      QVERIFY2(answer->sizes()[0] > answer->sizes()[1] + answer->sizes()[2], qPrintable(QString::number(answer->sizes()[0])));
      main->setSizes({250, 450, 700});
      answer->setSizes({300, 350, 150});
      main_sizes = main->sizes();
      answer_sizes = answer->sizes();
      w.close();
    }
    folio::ui::MainWindow again(o);
    again.resize(1400, 860);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.findChild<QSplitter*>("mainSplitter")->sizes(), main_sizes);
    QCOMPARE(again.findChild<QSplitter*>("answerSplitter")->sizes(), answer_sizes);
  }

  // One library write job at a time: while an ingest runs, Remove (Del), Re-index and adding are off,
  // and while a removal runs, so are Re-index and adding; all come back when the job ends.
  // Library › Scan languages… opens the dialog for the current collection with Tesseract's languages;
  // Cancel changes nothing.
  void scanLanguagesActionOpensTheDialog() {
    QTemporaryDir tmp;
    folio::ui::MainWindow w(optionsIn(tmp));
    auto* action = w.findChild<QAction*>("scanLanguagesAction");
    QVERIFY(action);
    action->trigger();
    folio::ui::ScanLanguagesDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = w.findChild<folio::ui::ScanLanguagesDialog*>()) != nullptr, 10000);
    QVERIFY(!dialog->list()->findItems("eng", Qt::MatchExactly).isEmpty());
    QCOMPARE(dialog->languages(), QString());
    dialog->reject();
    QVERIFY(!w.libraryService()->writing());
  }

  void libraryWriteJobsDoNotOverlap() {
    QTemporaryDir tmp;
    QDir().mkpath(tmp.filePath("notes"));
    for (int i = 0; i < 20; ++i) {
      QFile f(tmp.filePath(QString("notes/n%1.txt").arg(i)));
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QString("Note %1 about the depot.\n").arg(i).toUtf8());
    }
    const folio::ui::MainWindowOptions o = optionsIn(tmp);
    folio::ui::MainWindow w(o);
    QList<QAction*> writers;
    for (const char* name : {"addFilesAction", "addFolderAction", "reindexAction", "removeAction"})
      writers << w.findChild<QAction*>(name);
    QVERIFY(!writers.contains(nullptr));
    auto* remove = writers.last();
    QCOMPARE(remove->shortcut(), QKeySequence(QKeySequence::Delete));
    auto* panel = w.libraryPanel();
    auto enabled = [&](bool on) {
      for (QAction* a : writers)
        if (a->isEnabled() != on) return false;
      for (const char* name : {"addFilesButton", "addFolderButton", "reindexButton", "removeButton"})
        if (panel->findChild<QPushButton*>(name)->isEnabled() != on) return false;
      return panel->cancelButton()->isEnabled() == !on;
    };
    QVERIFY(enabled(true));

    QSignalSpy ingested(w.libraryService(), &folio::ui::LibraryService::ingestStarted);
    QSignalSpy finished(w.libraryService(), &folio::ui::LibraryService::ingestFinished);
    w.addPaths({tmp.filePath("notes")}, "notes");
    QVERIFY(enabled(false));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY(enabled(true));
    QTRY_COMPARE_WITH_TIMEOUT(w.libraryModel()->documentCount(), 20, 10000);

    QSignalSpy removed(w.libraryService(), &folio::ui::LibraryService::removeFinished);
    w.libraryView()->selectAll();
    remove->trigger();
    QVERIFY(enabled(false));
    w.addPaths({tmp.filePath("notes")}, "notes");  // refused while the removal runs
    QTRY_COMPARE_WITH_TIMEOUT(removed.count(), 1, 60000);
    QCOMPARE(removed.at(0).at(0).toLongLong(), 20);
    QVERIFY(enabled(true));
    QCOMPARE(ingested.count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(w.libraryModel()->documentCount(), 0, 10000);
  }
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
