// A window's picture saved under $FOLIO_TEST_ARTIFACTS (set by the gui tests' CMake), to look at.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QString>
#include <QTest>
#include <QWidget>

inline void saveScreenshot(QWidget* w, const QString& name) {
  const QByteArray dir = qgetenv("FOLIO_TEST_ARTIFACTS");
  if (dir.isEmpty()) return;
  QDir().mkpath(QString::fromLocal8Bit(dir));
  const QString path = QString::fromLocal8Bit(dir) + "/" + name;
  QVERIFY2(w->grab().save(path), qPrintable(path));
}
