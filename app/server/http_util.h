// Small helpers shared by the routes: JSON responses and errors, the HTTP status of an Error, and a
// request's hold on the engine (its cancel flag, connection watch and admission slot).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/pipeline/model_runtime.h"
#include "app/server/connection_watch.h"
#include "app/server/server_state.h"
#include "engine/common/result.h"

namespace folio::app::server {

void sendJson(httplib::Response& res, int status, const nlohmann::json& body);
void sendError(httplib::Response& res, int status, const std::string& message);
// BadInput/Unsupported → 400, NotFound → 404, Cancelled → 499 (client closed), Io/Internal → 500.
int statusFor(const Error& e);

// A label for log lines: "POST /v1/chat/completions #12".
std::string requestLabel(const httplib::Request& req, uint64_t id);

// One request's claim on the engine. The watch raises `cancel` when the client hangs up or the server
// stops, from before the request queues until the ticket is destroyed.
struct EngineTicket {
  std::atomic<bool> cancel{false};
  std::string label;
  std::unique_ptr<ConnectionWatch> watch;
  Admission::Slot slot;
};

// A request's context window within the loaded model's max_position_embeddings; else answers 400
// naming the field and returns false.
bool windowFits(const ServerState& state, int64_t context_window, httplib::Response& res);

// The loaded model as the library routes run it: on the server's backend, devices and threads.
ModelRuntime serverRuntime(const ServerState& state);

// Starts watching the connection and waits for an engine slot. Returns the ticket, or null after
// answering the request itself (429 with Retry-After when the queue is full, 499 when the client left
// or the server is stopping while it waited).
std::unique_ptr<EngineTicket> admitToEngine(ServerState& state, const httplib::Request& req, httplib::Response& res);
// The same for other costly work bounded by an admission of its own (version comparisons); `busy` opens
// the 429's message ("the engine is busy").
std::unique_ptr<EngineTicket> admitTo(Admission& admission, const std::string& busy, ServerState& state,
                                      const httplib::Request& req, httplib::Response& res);

}  // namespace folio::app::server
