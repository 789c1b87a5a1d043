#include "ui/progress_relay.h"

#include <QCoreApplication>
#include <QTimer>

namespace folio::ui {

ProgressRelay::ProgressRelay(QObject* receiver, Show show, int interval_ms)
    : receiver_(receiver), show_(std::move(show)), interval_ms_(interval_ms) {}

std::shared_ptr<ProgressRelay> ProgressRelay::create(QObject* receiver, Show show, int interval_ms) {
  return std::shared_ptr<ProgressRelay>(new ProgressRelay(receiver, std::move(show), interval_ms));
}

void ProgressRelay::post(const app::SummaryProgress& p) {
  {
    std::lock_guard lock(mutex_);
    latest_ = p;
    ++posted_;
    if (scheduled_) return;
    scheduled_ = true;
  }
  // The application object as the context: it outlives every window, and the timer is started on its
  // (the GUI) thread.
  QMetaObject::invokeMethod(
      QCoreApplication::instance(),
      [self = shared_from_this()] {
        QTimer::singleShot(self->interval_ms_, QCoreApplication::instance(), [self] { self->deliver(); });
      },
      Qt::QueuedConnection);
}

void ProgressRelay::deliver() {
  std::optional<app::SummaryProgress> p;
  {
    std::lock_guard lock(mutex_);
    p = std::exchange(latest_, std::nullopt);
    scheduled_ = false;
  }
  if (!p || !receiver_) return;
  ++delivered_;
  show_(*p);
}

int ProgressRelay::posted() const {
  std::lock_guard lock(mutex_);
  return posted_;
}

int ProgressRelay::delivered() const { return delivered_; }

}  // namespace folio::ui
