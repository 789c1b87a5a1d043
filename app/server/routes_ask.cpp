// POST /v1/library/ask: the pipeline (app/pipeline/ask.h) over the server's library. With a model the
// request queues for the engine like a generation; without one the answer is extractive.
#include <memory>

#include "app/pipeline/ask.h"
#include "app/server/api_requests.h"
#include "app/server/http_util.h"
#include "app/server/routes_library.h"

namespace folio::app::server {
namespace {

void handleAsk(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  if (!state.library) return sendError(res, 503, "no library: " + state.library_problem);
  auto params = parseAskRequest(req.body);
  if (!params) return sendError(res, statusFor(params.error()), params.error().message);
  std::optional<ModelRuntime> runtime;
  std::unique_ptr<EngineTicket> ticket;
  if (state.model) {
    const auto limit = state.model->model->config().max_position_embeddings;
    if (limit > 0 && params->context_window > limit)
      return sendError(res, 400, "context_window: must be <= " + std::to_string(limit) +
                                     " (the model's max_position_embeddings), got " +
                                     std::to_string(params->context_window));
    runtime = ModelRuntime{state.model->model, state.model->tokenizer, state.model->name,
                           state.model->model->identity()};
    runtime->backend = state.options.session.backend;
    runtime->devices = state.options.session.devices;
    runtime->threads = state.options.session.threads;
    ticket = admitToEngine(state, req, res);
    if (!ticket) return;
  }
  auto lib = state.library->acquire();
  if (!lib) return sendError(res, 500, lib.error().message);
  AskOptions options;
  options.question = params->question;
  options.collection = params->collection;
  options.document_ids = params->document_ids;
  options.context_window = params->context_window;
  options.thinking_budget = params->thinking_budget;
  options.answer_budget = params->max_tokens;
  options.expert_threshold = params->expert_threshold;
  if (runtime) options.state_dir = defaultStateDir(state.library_path);
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
