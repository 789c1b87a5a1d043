#include "ui/stream_coalescer.h"

#include <QTimer>

namespace folio::ui {

StreamCoalescer::StreamCoalescer(int interval_ms, QObject* parent) : QObject(parent), interval_ms_(interval_ms) {}

void StreamCoalescer::append(const std::string& thinking, const std::string& answer) {
  if (thinking.empty() && answer.empty()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  thinking_ += thinking;
  answer_ += answer;
  scheduleFlushLocked();
}

void StreamCoalescer::appendProgress(const app::AnswerProgress& progress) {
  std::lock_guard<std::mutex> lock(mutex_);
  progress_ = progress;
  scheduleFlushLocked();
}

void StreamCoalescer::scheduleFlushLocked() {
  if (scheduled_) return;
  scheduled_ = true;
  // The timer has to start on this object's thread; a queued call gets it there.
  QMetaObject::invokeMethod(
      this, [this] { QTimer::singleShot(interval_ms_, this, &StreamCoalescer::flush); }, Qt::QueuedConnection);
}

void StreamCoalescer::flush() {
  std::string thinking, answer;
  std::optional<app::AnswerProgress> progress;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    thinking.swap(thinking_);
    answer.swap(answer_);
    progress.swap(progress_);
    scheduled_ = false;
  }
  if (!thinking.empty() || !answer.empty()) Q_EMIT flushed(QString::fromStdString(thinking), QString::fromStdString(answer));
  if (progress) Q_EMIT progressed(*progress);
}

}  // namespace folio::ui
