// What every route of the HTTP API shares: the options it was started with, the model and library
// chosen at start (never by a path in a request), engine admission and the stopping flag.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/server/admission.h"
#include "app/server/engine_runner.h"
#include "app/server/library_pool.h"

namespace folio::app::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                 // 0: any free port
  std::string api_key;             // empty: no authentication
  int max_concurrent = 1;          // generations at once
  int queue = 8;                   // generations waiting beyond those
  std::string cors_origin;         // empty: no CORS headers, and requests from other origins are refused
  SessionPlacement session;        // where generations run: threads, backend, devices
  int read_timeout_s = 10;         // a client that sends nothing for this long is dropped
  int write_timeout_s = 10;        // a client that reads nothing for this long is dropped (and cancelled)
};

struct ServerState {
  ServerOptions options;
  std::optional<LoadedModel> model;
  std::unique_ptr<LibraryPool> library;  // null: no library (library routes answer 503)
  std::filesystem::path library_path;
  std::string library_problem;           // why there is no library, for the 503 message
  Admission admission;
  // Version comparisons (GET /v1/library/compare: a second or more of a core and some 100 MB for
  // thousands of pages) are bounded like generations, by the same --max-concurrent and --queue, in a
  // queue of their own so that they never wait behind a generation.
  Admission compare_admission;
  // Reviews without a model (POST /v1/library/review: every document screened per question) and
  // timelines (GET /v1/library/timeline: every chunk of the scope read), seconds over a large library,
  // likewise; with a model a review queues for the engine.
  Admission library_work_admission;
  std::atomic<bool> stopping{false};
  std::atomic<uint64_t> next_request{1};
  int bound_port = 0;
  // The socket of the connection the calling handler thread answers (-1 when unknown); set by ApiServer.
  std::function<int()> connection_socket = [] { return -1; };

  ServerState(ServerOptions o, std::optional<LoadedModel> m)
      : options(std::move(o)),
        model(std::move(m)),
        admission(options.max_concurrent, options.queue),
        compare_admission(options.max_concurrent, options.queue),
        library_work_admission(options.max_concurrent, options.queue) {}
};

}  // namespace folio::app::server
