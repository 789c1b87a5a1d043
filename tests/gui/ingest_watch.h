// Waits for a LibraryService's ingests in a GUI test and, when one does not finish, says why: every
// signal the service sent (writing on/off, upgrade waits, progress, failures) is logged with the time
// since the watch began, and the log is printed when the wait fails. A failure ends the wait at once
// instead of running out the timeout.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QtTest>

#include "ui/library_service.h"

namespace folio::test {

class IngestWatch {
 public:
  explicit IngestWatch(ui::LibraryService* service) {
    clock_.start();
    using S = ui::LibraryService;
    QObject::connect(service, &S::ingestStarted, &receiver_, [this] { log("ingest started"); });
    QObject::connect(service, &S::writingChanged, &receiver_,
                     [this](bool on) { log(on ? "writing on" : "writing off"); });
    QObject::connect(service, &S::libraryUpgrading, &receiver_, [this](qint64 done, qint64 total) {
      log(QStringLiteral("upgrading %1/%2").arg(done).arg(total));
    });
    QObject::connect(service, &S::ingestProgress, &receiver_, [this](const ingest::IngestProgress& p) {
      log(QStringLiteral("progress walking=%1 files %2/%3 current=%4")
              .arg(p.walking)
              .arg(p.files_done)
              .arg(p.files_total)
              .arg(QString::fromStdString(p.current)));
    });
    QObject::connect(service, &S::documentsLoaded, &receiver_,
                     [this](const ui::DocumentListPtr& d) { log(QStringLiteral("listed %1 documents").arg(d->size())); });
    QObject::connect(service, &S::failed, &receiver_, [this](const QString& m) {
      ++failures_;
      log("FAILED: " + m);
    });
    QObject::connect(service, &S::ingestFinished, &receiver_, [this](const ingest::IngestReport& r) {
      ++finished_;
      last_ = r;
      log(QStringLiteral("finished added=%1 failed=%2 cancelled=%3").arg(r.added).arg(r.failed).arg(r.cancelled));
    });
  }

  // True once `count` ingests have finished; false (printing the log) on a failure or after timeout_ms.
  bool waitFinished(int count = 1, int timeout_ms = 120000) {
    const bool ok = QTest::qWaitFor([&] { return finished_ >= count || failures_ > 0; }, timeout_ms) &&
                    finished_ >= count;
    if (!ok) {
      log(QStringLiteral("gave up waiting for %1 finished ingest(s)").arg(count));
      qWarning().noquote() << "library service log:\n" + events_.join('\n');
    }
    return ok;
  }

  int finished() const { return finished_; }
  const ingest::IngestReport& lastReport() const { return last_; }

 private:
  void log(const QString& what) { events_ << QStringLiteral("%1 ms: %2").arg(clock_.elapsed()).arg(what); }

  QObject receiver_;  // disconnects everything when the watch goes
  QElapsedTimer clock_;
  QStringList events_;
  int finished_ = 0;
  int failures_ = 0;
  ingest::IngestReport last_;
};

}  // namespace folio::test
