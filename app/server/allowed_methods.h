// The methods each endpoint answers, for 405 Method Not Allowed: httplib answers a known path asked with
// another method as 404 ("no such endpoint"), which sends a client looking for a missing route instead of
// at its method. httplib does not expose its routes, so they are listed here (keep in step with the
// routes_*.cpp registrations and /health in server.cpp).
#pragma once

#include <string>
#include <string_view>

namespace folio::app::server {

// The Allow header for `path` ("GET, HEAD" or "POST"); "" for a path that is no endpoint.
std::string allowedMethods(std::string_view path);

}  // namespace folio::app::server
