// Hands a worker's progress to the GUI thread, the latest only: the first report after a delivery
// schedules one delivery `interval_ms` later (queued to the GUI thread), which shows whatever report is
// newest by then. A review reports once per cell — thousands of times — and the window repaints its bar
// at most once per interval; the last report is always delivered (no report is dropped for coming too
// soon after another, so the bar never stays behind during a long model call). The relay is shared with
// the worker and outlives the window: a delivery after the receiver is gone does nothing.
#pragma once

#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "app/pipeline/summary_tree.h"

namespace folio::ui {

class ProgressRelay : public std::enable_shared_from_this<ProgressRelay> {
 public:
  using Show = std::function<void(const app::SummaryProgress&)>;
  static constexpr int kDefaultIntervalMs = 50;

  // GUI thread. `show` runs on the GUI thread while `receiver` lives.
  static std::shared_ptr<ProgressRelay> create(QObject* receiver, Show show, int interval_ms = kDefaultIntervalMs);

  void post(const app::SummaryProgress& p);  // any thread
  int posted() const;                       // reports received (any thread)
  int delivered() const;                    // GUI thread: how many times `show` ran

 private:
  ProgressRelay(QObject* receiver, Show show, int interval_ms);
  void deliver();  // GUI thread

  QPointer<QObject> receiver_;  // read on the GUI thread only
  Show show_;
  const int interval_ms_;
  mutable std::mutex mutex_;
  std::optional<app::SummaryProgress> latest_;
  bool scheduled_ = false;
  int posted_ = 0;
  int delivered_ = 0;
};

}  // namespace folio::ui
