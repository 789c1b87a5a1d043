// The local HTTP API (cpp-httplib): guards (Host header against DNS rebinding, Origin, bearer token,
// CORS), the routes, timeouts for slow clients, and a stop that cancels running generations.
//
// Endpoints: POST /v1/minimax-m1/generate, POST /v1/chat/completions, GET /v1/models, GET /health,
// GET /v1/library/search, POST /v1/library/ask. Every error is a JSON {"error": {...}} body.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/server/connection_server.h"
#include "app/server/server_state.h"
#include "engine/common/result.h"

namespace folio::app::server {

class ApiServer {
 public:
  // `library`: the library's path when there is one; `library_problem` says why not otherwise.
  ApiServer(ServerOptions options, std::optional<LoadedModel> model, std::optional<std::filesystem::path> library,
            std::string library_problem);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds host:port (port 0: a free one); returns the bound port.
  Result<int> bind();
  // Serves until stop(); returns when every connection has been answered.
  void run();
  // Thread-safe: refuses new work, cancels running and queued generations, and ends run().
  void stop();

  const ServerState& state() const { return state_; }

 private:
  void installGuards();
  ServerState state_;
  ConnectionServer http_;
};

}  // namespace folio::app::server
