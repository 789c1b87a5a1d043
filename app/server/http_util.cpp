#include "app/server/http_util.h"

#include <cstdio>

#include "app/server/api_responses.h"

namespace folio::app::server {

void sendJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(dumpBody(body), "application/json");
}

void sendError(httplib::Response& res, int status, const std::string& message) {
  sendJson(res, status, errorJson(status, message));
}

int statusFor(const Error& e) {
  switch (e.kind) {
    case ErrorKind::BadInput:
    case ErrorKind::Unsupported: return 400;
    case ErrorKind::NotFound: return 404;
    case ErrorKind::Cancelled: return 499;
    case ErrorKind::Io:
    case ErrorKind::Internal: return 500;
  }
  return 500;
}

std::string requestLabel(const httplib::Request& req, uint64_t id) {
  return req.method + " " + req.path + " #" + std::to_string(id);
}

bool windowFits(const ServerState& state, int64_t context_window, httplib::Response& res) {
  const auto limit = state.model->model->config().max_position_embeddings;
  if (limit <= 0 || context_window <= limit) return true;
  sendError(res, 400, "context_window: must be <= " + std::to_string(limit) +
                          " (the model's max_position_embeddings), got " + std::to_string(context_window));
  return false;
}

ModelRuntime serverRuntime(const ServerState& state) {
  ModelRuntime rt{state.model->model, state.model->tokenizer, state.model->name, state.model->model->identity()};
  rt.backend = state.options.session.backend;
  rt.devices = state.options.session.devices;
  rt.threads = state.options.session.threads;
  return rt;
}

std::unique_ptr<EngineTicket> admitToEngine(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  return admitTo(state.admission, "the engine is busy", state, req, res);
}

std::unique_ptr<EngineTicket> admitTo(Admission& admission, const std::string& busy, ServerState& state,
                                      const httplib::Request& req, httplib::Response& res) {
  auto ticket = std::make_unique<EngineTicket>();
  ticket->label = requestLabel(req, state.next_request.fetch_add(1));
  // The watch ends with the ticket, inside the handler, while the connection (and so `fd`) is still open.
  ticket->watch = std::make_unique<ConnectionWatch>(state.connection_socket(), state.stopping, ticket->cancel, ticket->label);
  switch (admission.acquire(ticket->cancel, ticket->slot)) {
    case Admission::Outcome::Admitted: return ticket;
    case Admission::Outcome::QueueFull: {
      const int retry = admission.retryAfterSeconds();
      res.set_header("Retry-After", std::to_string(retry));
      sendError(res, 429,
                busy + ": " + std::to_string(admission.running()) + " running and " + std::to_string(admission.waiting()) +
                    " waiting (queue limit " + std::to_string(admission.maxQueue()) + "); retry after " +
                    std::to_string(retry) + " s");
      return nullptr;
    }
    case Admission::Outcome::Cancelled:
      std::fprintf(stderr, "folio serve: %s: left the queue (client gone or server stopping)\n", ticket->label.c_str());
      sendError(res, state.stopping ? 503 : 499, state.stopping ? "the server is stopping" : "client closed the request");
      return nullptr;
  }
  return nullptr;
}

}  // namespace folio::app::server
