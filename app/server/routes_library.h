// The library routes over the library chosen at start: GET /v1/library/search?q=&limit= (BM25 hits
// with document, page span, line span and snippet) and POST /v1/library/ask (the pipeline's answer
// with citations; extractive without a model), GET /v1/library/compare?old=ID&new=ID (what changed
// between two versions: folio compare's JSON; admitted like a generation, in a queue of its own, and
// stopped when its client goes), POST /v1/library/review (folio review's table), GET /v1/library/timeline
// (folio timeline --json). Without a library they answer 503.
#pragma once

#include <httplib.h>

#include "app/server/server_state.h"

namespace folio::app::server {

void addLibraryRoutes(httplib::Server& http, ServerState& state);
// POST /v1/library/ask (routes_ask.cpp).
void addAskRoute(httplib::Server& http, ServerState& state);
// POST /v1/library/review (routes_review.cpp).
void addReviewRoute(httplib::Server& http, ServerState& state);

}  // namespace folio::app::server
