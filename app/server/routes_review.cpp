// POST /v1/library/review: a review table (app/pipeline/review_table.h) over the server's library — the
// same questions asked of every document in scope. With a model the request queues for the engine like
// a generation (each found cell is a call); without one it is library work in a queue of its own, as a
// comparison is. A client that goes stops it. "stream": true sends the cells' progress as server-sent
// events before the table:
//   progress  {"done", "total", "current"}: cells filled of questions × documents
//   review    {"review": {...}}: the table, as the non-streamed response
//   error     {"error": {...}}
// then `data: [DONE]`.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <sstream>

#include "app/pipeline/review_format.h"
#include "app/server/api_requests.h"
#include "app/server/api_responses.h"
#include "app/server/http_util.h"
#include "app/server/sse_stream.h"
#include "app/server/routes_library.h"

namespace folio::app::server {
namespace {

// A review of thousands of documents reports many cells a second: at most this often on the stream.
constexpr auto kProgressInterval = std::chrono::milliseconds(250);

ReviewOptions reviewOptions(const ReviewParams& p) {
  ReviewOptions o;
  o.questions = p.questions;
  o.collection = p.collection;
  o.document_ids = p.document_ids;
  o.matching_only = p.matching_only;
  if (p.context_window) o.context_window = *p.context_window;
  if (p.thinking_budget) o.thinking_budget = *p.thinking_budget;
  if (p.max_tokens) o.answer_budget = *p.max_tokens;
  o.expert_threshold = p.expert_threshold;
  return o;
}

struct ReviewRun {
  std::unique_ptr<EngineTicket> ticket;
  std::optional<ModelRuntime> runtime;
  ReviewOptions options;
};

// The table, or the error to answer with: a table stopped by its client's going or the server's stop
// is Cancelled (statusOf: 503 while the server stops).
Result<ReviewTable> runReview(ServerState& state, ReviewRun& run, const SummaryProgressFn& progress) {
  auto lib = state.library->acquire();
  if (!lib) return lib.error();
  auto table = reviewTable(**lib, run.runtime ? &*run.runtime : nullptr, run.options, progress, &run.ticket->cancel);
  if (table && table->stopped) {
    std::fprintf(stderr, "folio serve: %s: review stopped\n", run.ticket->label.c_str());
    return cancelled(state.stopping ? "the server is stopping" : "the client went away; review stopped");
  }
  return table;
}

int statusOf(const ServerState& state, const Error& e) {
  return state.stopping && e.kind == ErrorKind::Cancelled ? 503 : statusFor(e);
}

bool streamReview(ServerState& state, ReviewRun& run, httplib::DataSink& sink) {
  SseStream stream(sink, run.ticket->cancel, run.ticket->label);
  auto send = [&](const nlohmann::json& event) { stream.send(event); };
  auto last = std::chrono::steady_clock::now() - kProgressInterval;
  auto progress = [&](const SummaryProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last < kProgressInterval && p.done < p.total) return;
    last = now;
    send({{"type", "progress"}, {"done", p.done}, {"total", p.total}, {"current", p.current}});
  };
  auto table = runReview(state, run, progress);
  run.ticket->watch.reset();  // done: a client closing after the last event is no disconnect
  if (table) send({{"type", "review"}, {"review", reviewJson(*table)}});
  else send({{"type", "error"}, {"error", errorJson(statusOf(state, table.error()), table.error().message)["error"]}});
  return stream.finish();
}

void handleReview(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  if (!state.library) return sendError(res, 503, "no library: " + state.library_problem);
  auto params = parseReviewRequest(req.body);
  if (!params) return sendError(res, statusFor(params.error()), params.error().message);
  auto run = std::make_shared<ReviewRun>();
  run->options = reviewOptions(*params);
  if (state.model) {
    if (params->context_window && !windowFits(state, *params->context_window, res)) return;
    run->runtime = serverRuntime(state);
    run->ticket = admitToEngine(state, req, res);
  } else {
    run->ticket = admitTo(state.library_work_admission, "too many reviews and timelines at once", state, req, res);
  }
  if (!run->ticket) return;
  if (params->stream) {
    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider("text/event-stream",
                                     [&state, run](size_t, httplib::DataSink& sink) { return streamReview(state, *run, sink); });
    return;
  }
  auto table = runReview(state, *run, {});
  if (!table) return sendError(res, statusOf(state, table.error()), table.error().message);
  // A row at a time: 100,000 rows as one JSON value take 700 MB.
  std::ostringstream body;
  writeReviewJson(body, *table);
  res.status = 200;
  res.set_content(body.str(), "application/json");
}

}  // namespace

void addReviewRoute(httplib::Server& http, ServerState& state) {
  http.Post("/v1/library/review",
            [&state](const httplib::Request& req, httplib::Response& res) { handleReview(state, req, res); });
}

}  // namespace folio::app::server
