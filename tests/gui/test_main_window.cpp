// The main window opens on the offscreen platform and says which mode it is in.
#include <QLabel>
#include <QListWidget>
#include <QtTest>

#include "ui/main_window.h"

class MainWindowTest : public QObject {
  Q_OBJECT

 private slots:
  void opensWithLibraryAndMode() {
    folio::ui::MainWindow w;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.windowTitle(), QString("Folio"));
    QVERIFY(w.libraryList() != nullptr);
    QVERIFY(w.modeLabel()->text().contains("Extractive mode"));
    // Save a screenshot as a test artefact so people can look at the window.
    const QByteArray dir = qgetenv("FOLIO_TEST_ARTIFACTS");
    if (!dir.isEmpty()) {
      QDir().mkpath(QString::fromLocal8Bit(dir));
      QVERIFY(w.grab().save(QString::fromLocal8Bit(dir) + "/main_window.png"));
    }
  }
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
