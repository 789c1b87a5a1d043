// A blocking TCP connection to 127.0.0.1 for tests that talk to a server byte by byte (slow clients,
// half-closes, which socket a handler sees).
#pragma once

namespace folio::test {

// A connected socket to 127.0.0.1:`port`, or -1. The caller closes it.
int connectLoopback(int port);

}  // namespace folio::test
