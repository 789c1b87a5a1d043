// The main window opens on the offscreen platform, says which mode it is in, and remembers settings.
#include <QLabel>
#include <QSettings>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

#include "ui/gui_settings.h"
#include "ui/main_window.h"

class MainWindowTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void opensWithLibraryAndMode() {
    QTemporaryDir tmp;
    folio::ui::MainWindowOptions o;
    o.library = std::filesystem::path(tmp.path().toStdString()) / "library.sqlite";
    o.remember = false;
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

  void aBadModelDirectoryStaysExtractive() {
    QTemporaryDir tmp;
    folio::ui::MainWindowOptions o;
    o.library = std::filesystem::path(tmp.path().toStdString()) / "library.sqlite";
    o.remember = false;
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
    QCOMPARE(back.collection, QString("contracts"));
    QCOMPARE(back.export_format, QString("md"));
  }
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
