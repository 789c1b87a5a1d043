// The model routes: POST /v1/minimax-m1/generate, POST /v1/chat/completions (streamed as server-sent
// events when asked), GET /v1/models. Without a model the generation routes answer 503.
#pragma once

#include <httplib.h>

#include "app/server/server_state.h"

namespace folio::app::server {

void addEngineRoutes(httplib::Server& http, ServerState& state);

}  // namespace folio::app::server
