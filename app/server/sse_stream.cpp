#include "app/server/sse_stream.h"

#include <cstdio>

#include "app/server/api_responses.h"

namespace folio::app::server {

void SseStream::send(const nlohmann::json& event) {
  if (!ok_) return;
  const std::string text = sseEvent(event);
  if (!sink_.write(text.data(), text.size())) {
    ok_ = false;
    cancel_.store(true);
    std::fprintf(stderr, "folio serve: %s: write failed; cancelling\n", label_.c_str());
  }
}

bool SseStream::finish() {
  if (ok_ && !sink_.write(kSseDone.data(), kSseDone.size())) ok_ = false;
  if (ok_) sink_.done();
  return ok_;
}

}  // namespace folio::app::server
