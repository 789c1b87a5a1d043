#include "app/server/routes_engine.h"

#include <chrono>
#include <cstdio>

#include "app/server/api_responses.h"
#include "app/server/http_util.h"
#include "app/server/sse_stream.h"

namespace folio::app::server {
namespace {

constexpr const char* kNoModel =
    "no model is loaded: start the server with `folio serve --model DIR` to use the generation endpoints "
    "(the library endpoints work without one)";

int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void logFinish(const EngineTicket& t, const engine::GenerateResult& r) {
  if (r.finish_reason == engine::FinishReason::Cancelled)
    std::fprintf(stderr, "folio serve: %s: generation cancelled after %lld tokens\n", t.label.c_str(),
                 static_cast<long long>(r.usage.thinking_tokens + r.usage.answer_tokens));
}

void handleGenerate(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  if (!state.model) return sendError(res, 503, kNoModel);
  auto params = parseGenerateRequest(req.body);
  if (!params) return sendError(res, statusFor(params.error()), params.error().message);
  auto ticket = admitToEngine(state, req, res);
  if (!ticket) return;
  const LoadedModel& m = *state.model;
  auto out = runGeneration(m, state.options.session, generatePrompt(m, *params), params->gen,
                           params->routing != RoutingDetail::None, &ticket->cancel);
  if (!out) return sendError(res, statusFor(out.error()), out.error().message);
  logFinish(*ticket, out->result);
  sendJson(res, 200, generateResponseJson(out->result, out->routing.get(), params->routing, m.name));
}

// A streamed chat completion: the generation runs inside the chunked content provider, on the
// connection's thread, after the response headers are out. A failed write cancels it.
struct ChatStream {
  std::unique_ptr<EngineTicket> ticket;
  ChatParams params;
  std::vector<int32_t> prompt;
  std::string id;
  int64_t created = 0;
};

bool runChatStream(ServerState& state, ChatStream& s, httplib::DataSink& sink) {
  const LoadedModel& m = *state.model;
  SseStream stream(sink, s.ticket->cancel, s.ticket->label);
  auto send = [&](const nlohmann::json& chunk) { stream.send(chunk); };
  auto sendDelta = [&](const ThinkingStreamSplitter::Delta& d) {
    if (!d.thinking.empty()) send(chatChunkJson(s.id, s.created, m.name, {{"reasoning_content", d.thinking}}, ""));
    if (!d.answer.empty()) send(chatChunkJson(s.id, s.created, m.name, {{"content", d.answer}}, ""));
  };
  send(chatChunkJson(s.id, s.created, m.name, {{"role", "assistant"}, {"content", ""}}, ""));
  ThinkingStreamSplitter splitter;
  auto out = runGeneration(m, state.options.session, std::move(s.prompt), s.params.gen, false, &s.ticket->cancel,
                           [&](std::string_view piece) { sendDelta(splitter.add(piece)); });
  // The engine is done: stop watching now. Once the client has the last event it may close, and a watch
  // still running would report that as a disconnect ("cancelling") of a request that has finished.
  s.ticket->watch.reset();
  if (!out) {
    send({{"error", errorJson(statusFor(out.error()), out.error().message)["error"]}});
  } else {
    logFinish(*s.ticket, out->result);
    sendDelta(splitter.finish());
    send(chatChunkJson(s.id, s.created, m.name, nlohmann::json::object(), openAiFinishReason(out->result.finish_reason)));
    if (s.params.include_usage_in_stream) {
      nlohmann::json u = chatChunkJson(s.id, s.created, m.name, nlohmann::json::object(), "");
      u["choices"] = nlohmann::json::array();
      u["usage"] = chatUsageJson(out->result.usage);
      send(u);
    }
  }
  return stream.finish();
}

void handleChat(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  if (!state.model) return sendError(res, 503, kNoModel);
  auto params = parseChatRequest(req.body);
  if (!params) return sendError(res, statusFor(params.error()), params.error().message);
  auto ticket = admitToEngine(state, req, res);
  if (!ticket) return;
  const LoadedModel& m = *state.model;
  const std::string id = "chatcmpl-" + std::to_string(unixNow()) + "-" + std::to_string(state.next_request.fetch_add(1));
  if (params->stream) {
    auto s = std::make_shared<ChatStream>();
    s->prompt = chatPrompt(m, params->messages);
    // Refuse a bad window with a status code before the event stream starts.
    if (auto ok = checkWindow(m, static_cast<int64_t>(s->prompt.size()), params->gen); !ok)
      return sendError(res, statusFor(ok.error()), ok.error().message);
    s->ticket = std::move(ticket);
    s->params = std::move(*params);
    s->id = id;
    s->created = unixNow();
    res.set_header("Cache-Control", "no-cache");
    res.set_chunked_content_provider("text/event-stream", [&state, s](size_t, httplib::DataSink& sink) {
      return runChatStream(state, *s, sink);
    });
    return;
  }
  auto out = runGeneration(m, state.options.session, chatPrompt(m, params->messages), params->gen, false,
                           &ticket->cancel);
  if (!out) return sendError(res, statusFor(out.error()), out.error().message);
  logFinish(*ticket, out->result);
  sendJson(res, 200, chatCompletionJson(id, unixNow(), m.name, out->result));
}

void handleModels(ServerState& state, httplib::Response& res) {
  nlohmann::json data = nlohmann::json::array();
  if (state.model) {
    const auto& c = state.model->model->config();
    data.push_back({{"id", state.model->name},
                    {"object", "model"},
                    {"created", 0},
                    {"owned_by", "folio"},
                    {"context_window", c.max_position_embeddings},
                    {"num_layers", c.num_layers},
                    {"num_experts", c.num_experts},
                    {"top_k", c.top_k}});
  }
  sendJson(res, 200, {{"object", "list"}, {"data", data}});
}

}  // namespace

void addEngineRoutes(httplib::Server& http, ServerState& state) {
  http.Post("/v1/minimax-m1/generate",
            [&state](const httplib::Request& req, httplib::Response& res) { handleGenerate(state, req, res); });
  http.Post("/v1/chat/completions",
            [&state](const httplib::Request& req, httplib::Response& res) { handleChat(state, req, res); });
  http.Get("/v1/models", [&state](const httplib::Request&, httplib::Response& res) { handleModels(state, res); });
}

}  // namespace folio::app::server
