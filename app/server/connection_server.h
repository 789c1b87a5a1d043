// An httplib::Server that runs each accepted connection's request loop itself, so that a handler can
// know the socket of the connection it answers: httplib 0.11 gives handlers no access to it, and
// finding it by address among the process's descriptors is slow and racy. While a worker thread serves
// a connection, connectionSocket() called on that thread returns its descriptor.
//
// The loop keeps httplib's rules (at most keep_alive_max_count requests per connection, the keep-alive
// timeout between requests, read/write timeouts, "Connection: close"), with four differences:
// - the first request of a connection may take the read timeout to arrive, not the (shorter) keep-alive
//   timeout meant for idle connections: a client that connected but was slow to write is not dropped
//   without an answer;
// - a request must arrive in full by a deadline (ConnectionStream::beginRequest), and the connection
//   closes when it does not (or when a handler asks, see closeAfterResponse);
// - one stream per connection, so bytes a client sent ahead are not lost between requests;
// - a close that the client did not ask for sends FIN first and discards what the client still sends for
//   a moment, instead of closing with unread bytes (which makes the kernel send a reset that can destroy
//   the response still in flight).
#pragma once

#include <httplib.h>

#include <mutex>
#include <thread>
#include <unordered_map>

namespace folio::app::server {

class ConnectionStream;

class ConnectionServer : public httplib::Server {
 public:
  // The descriptor of the connection the calling thread is serving; -1 when it serves none.
  int connectionSocket() const;
  // Whether the request the calling thread is answering timed out while it was being read (so that the
  // error it gets can say 408 rather than "malformed"); the connection then closes after the answer.
  bool requestTimedOut() const;
  // Ends the calling thread's connection once its current response is out: for a request refused before
  // its body was read, whose unread body would otherwise be parsed as the next request.
  void closeAfterResponse();

  // After bind_to_port/bind_to_any_port: lets `backlog` connections wait for accept() (httplib listens
  // with 5). With 5, a burst of new connections overflows the accept queue and the kernel falls back to
  // SYN cookies and dropped handshakes, and some clients end up with a connection the server never
  // answers. False when not bound or listen() fails.
  bool setListenBacklog(int backlog);

 private:
  bool process_and_close_socket(socket_t sock) override;
  // Waits for the next request in short slices so that stop() is noticed; false on timeout, hang-up or stop.
  bool awaitRequest(ConnectionStream& stream, int timeout_ms) const;
  bool takeCloseAfterResponse();  // whether closeAfterResponse was called (and clears it)

  mutable std::mutex mutex_;
  struct Serving {
    int fd;
    const ConnectionStream* stream;
    bool close_after_response = false;
  };
  std::unordered_map<std::thread::id, Serving> serving_;  // worker thread -> its connection
};

}  // namespace folio::app::server
