#include "app/server/http_guard.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "engine/common/ascii_case.h"

namespace folio::app::server {
namespace {

bool isWildcard(std::string_view host) { return host == "0.0.0.0" || host == "::" || host.empty(); }

}  // namespace

bool isLoopbackName(std::string_view host) {
  const std::string h = lowerAscii(host);
  if (h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1") return true;
  in_addr a{};
  if (inet_pton(AF_INET, h.c_str(), &a) == 1) return (ntohl(a.s_addr) >> 24) == 127;
  return false;
}

bool splitHostHeader(std::string_view header, std::string& name, std::string& port) {
  name.clear();
  port.clear();
  if (header.empty() || header.size() > 255) return false;
  std::string_view rest;
  if (header.front() == '[') {
    const size_t close = header.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    name = std::string(header.substr(1, close - 1));
    rest = header.substr(close + 1);
  } else {
    const size_t colon = header.find(':');
    if (colon != header.rfind(':')) return false;  // an IPv6 address must be bracketed
    name = std::string(header.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view{} : header.substr(colon);
    if (name.empty()) return false;
  }
  if (!rest.empty()) {
    if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return false;
    port = std::string(rest.substr(1));
    if (!std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); })) return false;
  }
  for (unsigned char c : name)
    if (!(std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '_')) return false;
  return true;
}

bool hostAllowed(std::string_view host_header, std::string_view bound_host, int bound_port,
                 std::string_view local_addr) {
  std::string name, port;
  if (!splitHostHeader(host_header, name, port)) return false;
  if (!port.empty() && port != std::to_string(bound_port)) return false;
  if (port.empty() && bound_port != 80) return false;
  const std::string n = lowerAscii(name);
  std::string bound(bound_host);
  if (!bound.empty() && bound.front() == '[' && bound.back() == ']') bound = bound.substr(1, bound.size() - 2);
  if (n == lowerAscii(bound)) return true;
  if (isWildcard(bound) && !local_addr.empty()) {
    std::string local = lowerAscii(local_addr);
    if (local.rfind("::ffff:", 0) == 0 && local.find('.') != std::string::npos) local.erase(0, 7);  // v4-mapped
    if (n == local) return true;
  }
  if (isLoopbackName(bound) || isWildcard(bound)) return isLoopbackName(n);
  return false;
}

std::string corsOriginProblem(std::string_view origin) {
  const std::string quoted = "'" + std::string(origin) + "'";
  if (origin == "*")
    return quoted + " is not supported: it would let every web page drive the engine; name the one origin to "
                    "allow, e.g. http://localhost:3000";
  const size_t sep = origin.find("://");
  const size_t end = sep == std::string_view::npos ? sep : origin.find_first_of("/?#", sep + 3);
  const std::string_view authority =
      sep == std::string_view::npos ? std::string_view{} : origin.substr(sep + 3, end == std::string_view::npos ? end : end - sep - 3);
  if (sep == 0 || sep == std::string_view::npos || authority.empty())
    return quoted + " is not an origin: write scheme://host[:port], e.g. http://localhost:3000";
  const std::string canonical = lowerAscii(origin.substr(0, sep)) + "://" + lowerAscii(authority);
  if (canonical != origin)
    return quoted + " is not an origin as browsers send it (lowercase scheme://host[:port], no path or "
                    "trailing slash): use '" + canonical + "'";
  return {};
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  // Compare every byte of the longer string; the length difference folds into the result.
  const size_t n = std::max(a.size(), b.size());
  uint8_t diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t x = i < a.size() ? static_cast<uint8_t>(a[i]) : 0;
    const uint8_t y = i < b.size() ? static_cast<uint8_t>(b[i]) : 0;
    diff |= static_cast<uint8_t>(x ^ y);
  }
  // Keep the compiler from short-circuiting through the volatile read.
  volatile uint8_t sink = diff;
  return sink == 0;
}

bool bearerAuthorized(std::string_view authorization_header, std::string_view expected_token) {
  constexpr std::string_view kScheme = "bearer ";
  if (expected_token.empty() || authorization_header.size() < kScheme.size()) return false;
  if (lowerAscii(authorization_header.substr(0, kScheme.size())) != kScheme) return false;
  std::string_view token = authorization_header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
  return constantTimeEquals(token, expected_token);
}

std::string trimKey(std::string_view text) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!text.empty() && space(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && space(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace folio::app::server
