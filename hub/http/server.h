// HttpServer: the Boost.Beast HTTP/1.1 listener. Sessions read a request
// (header timeout, body limit), hand it to the Router on an io thread, write
// the response and keep the connection alive. Binding port 0 picks a free
// port (tests); port() tells which. HTTPS when given a certificate and key.
// Thread-safe Start/Stop.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "hub/base/backoff.h"
#include "hub/base/status.h"
#include "hub/http/router.h"

namespace hub::http {

struct HttpOptions {
  std::string host = "127.0.0.1";            // listen address; default loopback
  uint16_t port = 8080;                       // 0 = any free port; default 8080
  int threads = 2;                            // io threads; default 2 (one per core here)
  uint64_t max_body_bytes = 256ull << 20;     // larger bodies get 413; default 256 MiB
  uint32_t max_header_bytes = 16 * 1024;      // default 16 KiB
  std::chrono::seconds read_timeout{60};      // per request read (and streamed write); default 60 s
  // A streamed body that ends within this many bytes goes out whole, with a
  // Content-Length, in one write; longer ones switch to chunks. Default 256 KiB.
  size_t stream_hold_bytes = 256 * 1024;
  // Long-lived (PushBody) responses: polled at least this often when idle
  // (keep-alives), and cut when a write waits longer than push_write_timeout
  // for a client that stopped reading. Defaults 15 s and 30 s.
  std::chrono::milliseconds push_idle_poll{15'000};
  std::chrono::milliseconds push_write_timeout{30'000};
  // Called once a request's head is read, before its body (requests that
  // announce one): a response refuses the body unread, and the connection
  // closes after it. Lets a route turn away an unauthenticated upload before
  // the body's memory is committed. Called on an io thread; must not block.
  std::function<std::optional<HttpResponse>(const HttpRequest& head)> admit_body;
  // Request bodies of at least body_progress_bytes (default 1 MiB) are read
  // piece by piece and reported here as they arrive: the request's method,
  // target and headers (no body), bytes so far, Content-Length; then once
  // more with finished = true after the request was handled or its read
  // failed. Each piece may take read_timeout, and the whole body
  // read_timeout + Content-Length / min_body_bytes_per_second: a slow link
  // gets the time its size needs, a trickle does not hold memory forever.
  // Called on an io thread: must not block. Default none.
  std::function<void(const HttpRequest& head, uint64_t received, uint64_t total, bool finished)> on_body_progress;
  uint64_t body_progress_bytes = 1 << 20;
  // Requests for which this returns true (given the head, on an io thread;
  // must not block), with a Content-Length of at least stream_body_bytes
  // (default 1 MiB), reach their handler while the body arrives: the handler
  // runs on one of upload_threads workers (default 4) with
  // HttpRequest.arriving set and `body` empty, and the body is read straight
  // into it. The answer goes out once the handler returned and the body was
  // read; an upload cut short gets none (the handler sees the body fail).
  // More concurrent streamed uploads than workers queue, their bodies still
  // received. Default none.
  std::function<bool(const HttpRequest& head)> stream_body;
  uint64_t stream_body_bytes = 1 << 20;
  int upload_threads = 4;
  // Where streamed bodies are spooled (unnamed files, ArrivingBytes::
  // Spooled), so that an upload of any size costs bounded memory; empty =
  // held in memory. The hub sets <data-dir>/spool.
  std::string spool_dir;
  // The slowest upload rate a large body may average ([http]
  // min_body_bytes_per_second). Default 64 KiB/s (256 MiB in about 68 min).
  uint64_t min_body_bytes_per_second = 64 * 1024;
  // HTTPS (TLS 1.2+): PEM certificate chain and private key files; both
  // empty (the default) = plain HTTP.
  std::string tls_cert_file, tls_key_file;
  // Plain HTTP on an address other than loopback is refused unless this is
  // set: bearer tokens would cross the network in clear. Default false.
  bool insecure_http = false;
  // Whole SDMX responses kept until the next commit ([http]
  // response_cache_bytes; 0 disables). Applied by the Router.
  ResponseCacheOptions cache;
  // Cross-origin access for browsers on other origins (cors.h; [http]
  // cors_read_origins, cors_write_origins). Applied by the Router.
  CorsOptions cors;
  // A failing accept (EMFILE/ENFILE at the open-file limit, ENOBUFS...)
  // fails again at once while the connection waits in the backlog: each io
  // thread waits this back-off before it accepts again, and logs the
  // failures at most once per interval with their count ([http]
  // accept_retry_initial_ms, accept_retry_max_ms, error_report_ms).
  // Defaults 10 ms doubling to 1 s; a report every 10 s.
  BackoffOptions accept_retry;

  // InvalidArgument naming the first bad field; includes the plain-HTTP
  // refusal above.
  Status Validate() const;
};

class HttpServer {
 public:
  static Result<std::unique_ptr<HttpServer>> Start(const HttpOptions& options, const Router* router);
  ~HttpServer();
  uint16_t port() const;
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hub::http
