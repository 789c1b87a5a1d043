// Request checks that run before routing: the Host header against the bound address (DNS rebinding),
// the bearer token (compared in constant time), and CORS. Pure functions over header values.
#pragma once

#include <string>
#include <string_view>

namespace folio::app::server {

// Whether `host` names a loopback interface: "127.0.0.1" (any 127/8), "::1", "localhost".
bool isLoopbackName(std::string_view host);

// The Host header split into name and port ("[::1]:8080" → "::1", "8080"). False when malformed.
bool splitHostHeader(std::string_view header, std::string& name, std::string& port);

// A Host header is accepted when its port (if any) is the bound port and its name is the bound host or,
// when the server is bound to loopback (or every interface), a loopback name. A browser page from
// another site that resolves its own name to 127.0.0.1 sends its own name and is refused. Bound to every
// interface, the address the connection arrived on (`local_addr`, as getsockname gives it) is accepted
// too: that is the name a client elsewhere uses, and a rebinding page sends a DNS name, not it.
bool hostAllowed(std::string_view host_header, std::string_view bound_host, int bound_port,
                 std::string_view local_addr = {});

// Why `origin` (--cors-origin) can never equal an Origin header a browser sends, which the server compares
// byte for byte: "*", no scheme://host, a path or trailing slash, capitals. "" when it is a usable origin.
std::string corsOriginProblem(std::string_view origin);

// Equal strings, in time that depends only on their lengths.
bool constantTimeEquals(std::string_view a, std::string_view b);

// Whether an "Authorization" header carries `Bearer <token>` for the expected token.
bool bearerAuthorized(std::string_view authorization_header, std::string_view expected_token);

// The API key file's contents with surrounding whitespace removed.
std::string trimKey(std::string_view text);

}  // namespace folio::app::server
