#include "app/server/server.h"

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "app/server/allowed_methods.h"
#include "app/server/http_guard.h"
#include "app/server/http_util.h"
#include "app/server/json_body.h"
#include "app/server/routes_engine.h"
#include "app/server/routes_library.h"

namespace folio::app::server {
namespace {

constexpr const char* kAllowedHeaders = "Authorization, Content-Type";
constexpr const char* kAllowedMethods = "GET, POST, OPTIONS";

// The preflight's Access-Control-Allow-Headers: ours plus what the page asks for (the OpenAI JS SDK sends
// x-stainless-* headers; a browser blocks the call when one is not allowed). Only the configured origin
// gets here, so echoing is safe; names with characters outside an HTTP token are dropped.
std::string preflightAllowedHeaders(std::string_view requested) {
  std::string out = kAllowedHeaders;
  if (requested.size() > 2048) return out;
  size_t pos = 0;
  while (pos < requested.size()) {
    size_t end = requested.find(',', pos);
    if (end == std::string_view::npos) end = requested.size();
    std::string_view name = requested.substr(pos, end - pos);
    pos = end + 1;
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    const bool token = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
      return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    });
    if (token) out += ", " + std::string(name);
  }
  return out;
}

// The decode batcher's counts (null when generations decode alone).
nlohmann::json decodeBatchJson(const ServerState& state) {
  const auto& batcher = state.options.session.decode_batcher;
  if (!batcher) return nullptr;
  const engine::DecodeBatcher::Stats s = batcher->stats();
  return {{"max_batch", batcher->maxBatch()}, {"steps", s.steps}, {"tokens", s.tokens}, {"largest_step", s.largest_step}};
}

void handleHealth(const ServerState& state, httplib::Response& res) {
  nlohmann::json j = {{"status", state.stopping ? "stopping" : "ok"},
                      {"model", state.model ? nlohmann::json(state.model->name) : nlohmann::json(nullptr)},
                      {"library", state.library != nullptr},
                      {"engine",
                       {{"running", state.admission.running()},
                        {"waiting", state.admission.waiting()},
                        {"max_concurrent", state.admission.maxConcurrent()},
                        {"queue", state.admission.maxQueue()},
                        {"refused", state.admission.refused()},
                        {"decode_batch", decodeBatchJson(state)}}},
                      {"compare",
                       {{"running", state.compare_admission.running()},
                        {"waiting", state.compare_admission.waiting()},
                        {"refused", state.compare_admission.refused()}}},
                      {"library_work",
                       {{"running", state.library_work_admission.running()},
                        {"waiting", state.library_work_admission.waiting()},
                        {"refused", state.library_work_admission.refused()}}}};
  sendJson(res, 200, j);
}

}  // namespace

ApiServer::ApiServer(ServerOptions options, std::optional<LoadedModel> model,
                     std::optional<std::filesystem::path> library, std::string library_problem)
    : state_(std::move(options), std::move(model)) {
  if (library) {
    state_.library_path = *library;
    state_.library = std::make_unique<LibraryPool>(*library);
  }
  state_.library_problem = std::move(library_problem);
  state_.connection_socket = [this] { return http_.connectionSocket(); };
  // Enough HTTP workers that every admitted or queued generation has one, plus some for the light routes;
  // connections beyond them wait for a worker (their timeouts still apply once read).
  const size_t workers = static_cast<size_t>(std::clamp(state_.options.max_concurrent + state_.options.queue + 8, 8, 512));
  http_.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  http_.set_payload_max_length(kMaxBodyBytes);
  http_.set_read_timeout(state_.options.read_timeout_s, 0);
  http_.set_write_timeout(state_.options.write_timeout_s, 0);
  http_.set_keep_alive_timeout(2);
  installGuards();
  http_.Get("/health", [this](const httplib::Request&, httplib::Response& res) { handleHealth(state_, res); });
  addEngineRoutes(http_, state_);
  addLibraryRoutes(http_, state_);
  if (!state_.options.cors_origin.empty()) {
    http_.Options(R"(/.*)", [](const httplib::Request& req, httplib::Response& res) {
      res.status = 204;
      res.set_header("Access-Control-Allow-Methods", kAllowedMethods);
      res.set_header("Access-Control-Allow-Headers",
                     preflightAllowedHeaders(req.get_header_value("Access-Control-Request-Headers")));
      res.set_header("Access-Control-Max-Age", "600");
    });
  }
  // Errors httplib produces itself (404 no route, 413, 400 malformed) get a JSON body too.
  http_.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    // httplib reports a request that stopped arriving as malformed (400).
    if (http_.requestTimedOut()) {
      const std::string t = std::to_string(state_.options.read_timeout_s);
      sendError(res, 408, "the request did not arrive in time: its head and body must arrive within " + t +
                              " s (plus " + t + " s per 64 KiB)");
      res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (res.status == 404) {
      if (const std::string allow = allowedMethods(req.path); !allow.empty()) {
        res.set_header("Allow", allow);
        sendError(res, 405, req.method + " " + req.path + ": method not allowed (use " + allow + ")");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    std::string message = "HTTP " + std::to_string(res.status);
    if (res.status == 400) message = "malformed HTTP request";
    if (res.status == 404) message = "no such endpoint: " + req.method + " " + req.path;
    if (res.status == 413) message = "body over the limit of " + std::to_string(kMaxBodyBytes) + " bytes";
    sendError(res, res.status, message);
    return httplib::Server::HandlerResponse::Handled;
  }));
  http_.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "folio serve: %s %s: internal error: %s\n", req.method.c_str(), req.path.c_str(), what.c_str());
    sendError(res, 500, "internal error: " + what);
  });
}

ApiServer::~ApiServer() { stop(); }

void ApiServer::installGuards() {
  http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const ServerOptions& o = state_.options;
    // A refusal here comes before httplib reads the body; left on the connection, it would be parsed as
    // the client's next request. Such a connection closes after the answer (and says so).
    auto refuse = [&](int status, const std::string& message) {
      sendError(res, status, message);
      const std::string length = req.get_header_value("Content-Length");
      if ((!length.empty() && length != "0") || req.has_header("Transfer-Encoding")) {
        res.set_header("Connection", "close");
        http_.closeAfterResponse();
      }
      return httplib::Server::HandlerResponse::Handled;
    };
    if (!o.cors_origin.empty()) {
      res.set_header("Access-Control-Allow-Origin", o.cors_origin);
      res.set_header("Vary", "Origin");
      res.set_header("Access-Control-Expose-Headers", "Retry-After");  // a page may read it from a 429
    }
    if (!hostAllowed(req.get_header_value("Host"), o.host, state_.bound_port, req.local_addr)) {
      return refuse(421, "Host header \"" + req.get_header_value("Host").substr(0, 100) +
                             "\" does not name this server (" + o.host + ":" + std::to_string(state_.bound_port) + ")");
    }
    // A page from another origin may not drive the engine (no CORS means no cross-origin use at all).
    if (req.has_header("Origin")) {
      const std::string origin = req.get_header_value("Origin");
      const size_t scheme = origin.find("://");
      const bool same_origin = scheme != std::string::npos &&
                               hostAllowed(std::string_view(origin).substr(scheme + 3), o.host, state_.bound_port,
                                                           req.local_addr);
      if (!same_origin && origin != o.cors_origin) {
        return refuse(403, "Origin \"" + origin.substr(0, 100) + "\" is not allowed" +
                               (o.cors_origin.empty() ? " (start the server with --cors-origin to allow one)" : ""));
      }
    }
    if (req.method == "OPTIONS") return httplib::Server::HandlerResponse::Unhandled;  // preflight carries no token
    if (!o.api_key.empty() && !bearerAuthorized(req.get_header_value("Authorization"), o.api_key)) {
      res.set_header("WWW-Authenticate", "Bearer");
      return refuse(401, req.has_header("Authorization") ? "wrong API key" : "missing API key: send Authorization: Bearer <key>");
    }
    if (state_.stopping) {
      return refuse(503, "the server is stopping");
    }
    // `curl -d` labels bodies application/x-www-form-urlencoded, and httplib answers such bodies over 8 KiB
    // with 413 (and parses them as a query string) after this handler, before any route. Every body here
    // is JSON whatever its label, so the label goes; the request object itself is not const.
    const_cast<httplib::Request&>(req).headers.erase("Content-Type");
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

Result<int> ApiServer::bind() {
  const int port = state_.options.port == 0 ? http_.bind_to_any_port(state_.options.host)
                                            : (http_.bind_to_port(state_.options.host, state_.options.port)
                                                   ? state_.options.port
                                                   : -1);
  if (port <= 0)
    return ioError("cannot listen on " + state_.options.host + ":" + std::to_string(state_.options.port) +
                   " (address in use, or not an address of this machine)");
  // httplib listens with a backlog of 5: bursts of new connections then overflow the accept queue and
  // some clients get a connection the kernel later resets (see ConnectionServer::setListenBacklog).
  if (!http_.setListenBacklog(SOMAXCONN)) return ioError("cannot set the listen backlog on " + state_.options.host);
  state_.bound_port = port;
  return port;
}

void ApiServer::run() { http_.listen_after_bind(); }

void ApiServer::stop() {
  state_.stopping.store(true);
  http_.stop();
}

}  // namespace folio::app::server
