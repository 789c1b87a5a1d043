#include "app/server/routes_library.h"

#include <cstdio>
#include <optional>
#include <sstream>

#include "app/compare/compared_document.h"
#include "app/compare/comparison_format.h"
#include "app/pipeline/timeline_format.h"
#include "app/server/api_requests.h"
#include "app/server/http_util.h"
#include "ingest/library/search.h"

namespace folio::app::server {
namespace {

nlohmann::json hitJson(const ingest::SearchHit& h) {
  return {{"chunk_id", h.chunk_id},
          {"document_id", h.document_id},
          {"collection", h.collection},
          {"path", h.path},
          {"rel_path", h.rel_path},
          {"title", h.title},
          {"kind", h.kind},
          {"heading", h.heading},
          {"page_first", h.page_first},
          {"page_last", h.page_last},
          {"line_first", h.line_first},
          {"line_last", h.line_last},
          {"score", h.score},
          {"snippet", h.snippet}};
}

std::optional<std::string> param(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  return req.get_param_value(name);
}

void handleSearch(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  if (!state.library) return sendError(res, 503, "no library: " + state.library_problem);
  auto params = parseSearchParams(param(req, "q"), param(req, "limit"));
  if (!params) return sendError(res, statusFor(params.error()), params.error().message);
  auto lib = state.library->acquire();
  if (!lib) return sendError(res, 500, lib.error().message);
  ingest::SearchOptions options;
  options.limit = params->limit;
  auto found = ingest::search((*lib)->db(), params->query, options);
  if (!found) return sendError(res, statusFor(found.error()), found.error().message);
  nlohmann::json hits = nlohmann::json::array();
  for (const auto& h : found->hits) hits.push_back(hitJson(h));
  sendJson(res, 200, {{"query", params->query}, {"matched_any", found->matched_any}, {"hits", hits}});
}

// A comparison of thousands of pages costs a second or more of a core: it waits for a slot of its own
// admission (429 when that queue is full) and stops inside when the client goes or the server stops.
void handleCompare(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  if (!state.library) return sendError(res, 503, "no library: " + state.library_problem);
  auto params = parseCompareParams(param(req, "old"), param(req, "new"));
  if (!params) return sendError(res, statusFor(params.error()), params.error().message);
  auto ticket = admitTo(state.compare_admission, "too many comparisons at once", state, req, res);
  if (!ticket) return;
  auto lib = state.library->acquire();
  if (!lib) return sendError(res, 500, lib.error().message);
  auto old_doc = findLibraryDocument(**lib, params->old_id);
  if (!old_doc) return sendError(res, statusFor(old_doc.error()), "old: " + old_doc.error().message);
  auto new_doc = findLibraryDocument(**lib, params->new_id);
  if (!new_doc) return sendError(res, statusFor(new_doc.error()), "new: " + new_doc.error().message);
  auto compared = compareVersions(old_doc->text, new_doc->text, &ticket->cancel);
  if (!compared) {
    std::fprintf(stderr, "folio serve: %s: comparison cancelled\n", ticket->label.c_str());
    return sendError(res, state.stopping ? 503 : statusFor(compared.error()),
                     state.stopping ? "the server is stopping" : compared.error().message);
  }
  sendJson(res, 200, comparisonJson(*old_doc, *new_doc, *compared));
}

// A timeline reads every chunk of its scope (a second for 20,000 e-mails): library work, admitted in
// the queue reviews without a model use, stopped when its client goes.
void handleTimeline(ServerState& state, const httplib::Request& req, httplib::Response& res) {
  if (!state.library) return sendError(res, 503, "no library: " + state.library_problem);
  auto params = parseTimelineParams({param(req, "from"), param(req, "to"), param(req, "q"), param(req, "collection"),
                                     param(req, "documents"), param(req, "day_first"), param(req, "limit")});
  if (!params) return sendError(res, statusFor(params.error()), params.error().message);
  auto ticket = admitTo(state.library_work_admission, "too many reviews and timelines at once", state, req, res);
  if (!ticket) return;
  auto lib = state.library->acquire();
  if (!lib) return sendError(res, 500, lib.error().message);
  TimelineOptions options;
  options.from = params->from;
  options.to = params->to;
  options.words = params->words;
  options.collection = params->collection;
  options.document_ids = params->document_ids;
  options.day_first = params->day_first;
  auto timeline = buildTimeline(**lib, options, {}, &ticket->cancel);
  if (!timeline) return sendError(res, statusFor(timeline.error()), timeline.error().message);
  if (timeline->stopped) {  // its client went, or the server stops
    std::fprintf(stderr, "folio serve: %s: timeline stopped\n", ticket->label.c_str());
    return sendError(res, state.stopping ? 503 : 499, state.stopping ? "the server is stopping" : "timeline stopped");
  }
  const size_t shown = params->limit > 0 ? std::min(timeline->events.size(), static_cast<size_t>(params->limit))
                                         : timeline->events.size();
  std::ostringstream body;
  writeTimelineJson(body, *timeline, shown);  // an event at a time: 40,000 events as one JSON value are 750 MB
  res.status = 200;
  res.set_content(body.str(), "application/json");
}

}  // namespace

void addLibraryRoutes(httplib::Server& http, ServerState& state) {
  http.Get("/v1/library/search",
           [&state](const httplib::Request& req, httplib::Response& res) { handleSearch(state, req, res); });
  http.Get("/v1/library/compare",
           [&state](const httplib::Request& req, httplib::Response& res) { handleCompare(state, req, res); });
  http.Get("/v1/library/timeline",
           [&state](const httplib::Request& req, httplib::Response& res) { handleTimeline(state, req, res); });
  addAskRoute(http, state);
  addReviewRoute(http, state);
}

}  // namespace folio::app::server
