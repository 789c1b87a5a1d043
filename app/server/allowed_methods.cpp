#include "app/server/allowed_methods.h"

#include <array>
#include <utility>

namespace folio::app::server {

std::string allowedMethods(std::string_view path) {
  // GET routes answer HEAD too (httplib serves HEAD from the GET handler).
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kEndpoints{{
      {"/health", "GET, HEAD"},
      {"/v1/models", "GET, HEAD"},
      {"/v1/library/search", "GET, HEAD"},
      {"/v1/library/compare", "GET, HEAD"},
      {"/v1/library/timeline", "GET, HEAD"},
      {"/v1/minimax-m1/generate", "POST"},
      {"/v1/chat/completions", "POST"},
      {"/v1/library/ask", "POST"},
      {"/v1/library/review", "POST"},
  }};
  for (const auto& [p, methods] : kEndpoints)
    if (p == path) return std::string(methods);
  return {};
}

}  // namespace folio::app::server
