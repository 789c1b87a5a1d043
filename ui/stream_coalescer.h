// Hands streamed answer text from a worker thread to the GUI thread at most once per interval: the
// worker appends (thread-safe); the first append after a flush schedules one flush on the coalescer's
// own (GUI) thread, which emits everything gathered since as one `flushed` signal. A fast model then
// costs the event loop one update per interval instead of one per token, and no text waits longer than
// the interval.
#pragma once

#include <QObject>
#include <QString>
#include <mutex>
#include <optional>
#include <string>

#include "app/pipeline/ask.h"

namespace folio::ui {

class StreamCoalescer : public QObject {
  Q_OBJECT

 public:
  static constexpr int kDefaultIntervalMs = 30;
  explicit StreamCoalescer(int interval_ms = kDefaultIntervalMs, QObject* parent = nullptr);

  // Any thread. Both parts are whole UTF-8 characters (the engine holds back partial ones).
  void append(const std::string& thinking, const std::string& answer);
  // Any thread. Replaces counts not yet flushed.
  void appendProgress(const app::AnswerProgress& progress);
  // The coalescer's thread: emits what is pending now (nothing when nothing is).
  void flush();

 Q_SIGNALS:
  void flushed(const QString& thinking, const QString& answer);
  // Emitted by the same flush, after `flushed`, when newer counts arrived.
  void progressed(const folio::app::AnswerProgress& progress);

 private:
  const int interval_ms_;
  std::mutex mutex_;
  void scheduleFlushLocked();
  std::string thinking_, answer_;               // gathered since the last flush
  std::optional<app::AnswerProgress> progress_;  // the newest counts since the last flush
  bool scheduled_ = false;                      // a flush is on its way
};

}  // namespace folio::ui
