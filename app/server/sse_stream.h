// A response streamed as server-sent events from inside httplib's chunked content provider (chat
// completions, library answers, reviews): each event a `data: {json}` block. The first write that fails
// (the client went away) raises `cancel`, is said once on stderr and ends the sending; finish() sends
// `data: [DONE]` and ends the response.
#pragma once

#include <atomic>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace folio::app::server {

class SseStream {
 public:
  SseStream(httplib::DataSink& sink, std::atomic<bool>& cancel, std::string label)
      : sink_(sink), cancel_(cancel), label_(std::move(label)) {}
  void send(const nlohmann::json& event);
  // What the content provider returns: whether every write went out.
  bool finish();

 private:
  httplib::DataSink& sink_;
  std::atomic<bool>& cancel_;
  std::string label_;
  bool ok_ = true;
};

}  // namespace folio::app::server
