#include "ingest/office/chart_walk.h"

#include "ingest/office/chart_data.h"

namespace folio::ingest::office {

XmlHandler ChartWalk::handler() {
  XmlHandler h;
  h.start = [this](std::string_view name, const XmlAttributes& a) {
    if (!skip_.enter(leftOut(name))) return;
    path_.emplace_back(name);
    start(name, a);
  };
  h.end = [this](std::string_view) {
    if (!skip_.leave()) return;
    if (capture_depth_ == depth()) capture_ = nullptr;
    end(depth());
    path_.pop_back();
  };
  h.text = [this](std::string_view s) {
    if (capture_ != nullptr && !skip_.skipping()) appendBounded(*capture_, s, limit_);
  };
  return h;
}

void ChartWalk::captureInto(std::string& to, size_t limit) {
  capture_ = &to;
  capture_depth_ = depth();
  limit_ = limit;
}

}  // namespace folio::ingest::office
