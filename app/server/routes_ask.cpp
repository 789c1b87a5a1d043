// POST /v1/library/ask: the pipeline (app/pipeline/ask.h) over the server's library. With a model the
// request queues for the engine like a generation; without one the answer is extractive. "stream": true
// sends the pipeline's progress, the answer as it is generated and the running token budgets as
// server-sent events before the answer itself.
#include <atomic>
#include <cstdio>
#include <memory>
#include <optional>

#include "app/pipeline/ask.h"
#include "app/server/api_responses.h"
#include "app/server/api_requests.h"
#include "app/server/http_util.h"
#include "app/server/sse_stream.h"
#include "app/server/routes_library.h"

namespace folio::app::server {
namespace {

AskOptions askOptions(const AskParams& params) {
  AskOptions options;
  options.question = params.question;
  options.collection = params.collection;
  options.document_ids = params.document_ids;
  options.context_window = params.context_window;
  options.thinking_budget = params.thinking_budget;
  options.answer_budget = params.max_tokens;
  options.expert_threshold = params.expert_threshold;
  if (params.max_documents) options.max_documents = *params.max_documents;
  options.each_document = params.each_document;
  return options;
}

// A streamed ask: the pipeline runs inside the chunked content provider, on the connection's thread,
// after the response headers are out. Events (each `data: {json}`), by "type":
//   progress  the summary tree being built: stage, done, total, built, reused, current
//   delta     new text of the thought ("thinking") and of the answer ("answer")
//   tokens    the running budgets: prompt/thinking/answer tokens and the three budgets
//   answer    the stored answer, as the non-streamed response ("answer": {...})
//   error     {"error": {...}} as the non-streamed errors
// then `data: [DONE]`. A failed write cancels the pipeline.
struct AskStream {
  std::unique_ptr<EngineTicket> ticket;  // null without a model
  std::atomic<bool> cancel{false};       // without a ticket
  std::optional<ModelRuntime> runtime;
  AskOptions options;
};

bool runAskStream(ServerState& state, AskStream& s, httplib::DataSink& sink) {
  std::atomic<bool>& cancel = s.ticket ? s.ticket->cancel : s.cancel;
  SseStream stream(sink, cancel, s.ticket ? s.ticket->label : "library ask");
  auto send = [&](const nlohmann::json& event) { stream.send(event); };
  s.options.on_stream = [&](const ThinkingStreamSplitter::Delta& d) {
    if (!d.thinking.empty() || !d.answer.empty())
      send({{"type", "delta"}, {"thinking", d.thinking}, {"answer", d.answer}});
  };
  s.options.on_progress = [&](const AnswerProgress& p) {
    send({{"type", "tokens"},
          {"prompt_tokens", p.tokens.prompt_tokens},
          {"thinking_tokens", p.tokens.thinking_tokens},
          {"answer_tokens", p.tokens.answer_tokens},
          {"context_window", p.context_window},
          {"thinking_budget", p.thinking_budget},
          {"answer_budget", p.answer_budget}});
  };
  auto on_summary = [&](const SummaryProgress& p) {
    // "summarize": the summary tree being built; "each document": documents asked one by one.
    const bool answers = p.work == SummaryProgress::Work::DocumentAnswers;
    send({{"type", "progress"},
          {"stage", answers ? "each document" : "summarize"},
          {"done", p.done},
          {"total", p.total},
          {"built", p.built},
          {"reused", p.reused},
          {"current", p.current}});
  };
  auto lib = state.library->acquire();
  if (!lib) {
    send({{"type", "error"}, {"error", errorJson(500, lib.error().message)["error"]}});
  } else {
    auto answer = ask(**lib, s.runtime ? &*s.runtime : nullptr, s.options, on_summary, &cancel);
    if (s.ticket) s.ticket->watch.reset();  // done: a client closing after the last event is no disconnect
    if (!answer) {
      send({{"type", "error"}, {"error", errorJson(statusFor(answer.error()), answer.error().message)["error"]}});
    } else {
      send({{"type", "answer"}, {"answer", answerJson(*answer)}});
    }
  }
  return stream.finish();
}

void handleAsk(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  if (!state.library) return sendError(res, 503, "no library: " + state.library_problem);
  auto params = parseAskRequest(req.body);
  if (!params) return sendError(res, statusFor(params.error()), params.error().message);
  std::optional<ModelRuntime> runtime;
  std::unique_ptr<EngineTicket> ticket;
  if (state.model) {
    if (!windowFits(state, params->context_window, res)) return;
    runtime = serverRuntime(state);
    ticket = admitToEngine(state, req, res);
    if (!ticket) return;
  }
  AskOptions options = askOptions(*params);
  if (runtime) options.state_dir = defaultStateDir(state.library_path);
  if (params->stream) {
    auto s = std::make_shared<AskStream>();
    s->ticket = std::move(ticket);
    s->runtime = std::move(runtime);
    s->options = std::move(options);
    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider("text/event-stream", [&state, s](size_t, httplib::DataSink& sink) {
      return runAskStream(state, *s, sink);
    });
    return;
  }
  auto lib = state.library->acquire();
  if (!lib) return sendError(res, 500, lib.error().message);
  auto answer = ask(**lib, runtime ? &*runtime : nullptr, options, {}, ticket ? &ticket->cancel : nullptr);
  if (!answer) return sendError(res, statusFor(answer.error()), answer.error().message);
  sendJson(res, 200, answerJson(*answer));
}

}  // namespace

void addAskRoute(httplib::Server& http, ServerState& state) {
  http.Post("/v1/library/ask",
            [&state](const httplib::Request& req, httplib::Response& res) { handleAsk(state, req, res); });
}

}  // namespace folio::app::server
