// HttpRequest / HttpResponse: the plain types handlers see. Only server.cc
// and client.cc know Beast, so handlers compile fast and test easily.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hub/base/arriving_bytes.h"
#include "hub/base/status.h"

namespace hub::http {

struct HttpRequest {
  std::string method;                           // "GET", "POST", ...
  std::string target;                           // as received: path and query
  std::string path;                             // percent-decoded, no trailing slash
  std::multimap<std::string, std::string> query;  // decoded
  std::map<std::string, std::string> headers;     // names in lower case
  std::string body;
  // Set instead of `body` for a body streamed to its handler while it
  // arrives (HttpOptions.stream_body).
  std::shared_ptr<const ArrivingBytes> arriving;
  std::map<std::string, std::string> params;     // route captures, e.g. {flow}

  std::string Header(const std::string& lower_name) const;
  std::string Query(const std::string& name) const;
  bool HasQuery(const std::string& name) const { return query.count(name) > 0; }
  std::string Param(const std::string& name) const;
};

// A GET asking to switch to WebSocket (Connection: upgrade, Upgrade: websocket).
bool IsWebSocketUpgrade(const HttpRequest& req);

// A long-lived response body (Server-Sent Events) that produces pieces as
// they come, without holding an io thread while it waits. The server calls
// Start once with `wake` (callable from any thread: "Poll may have more"),
// then Poll after each wake, after each piece is written, and every
// HttpOptions.push_idle_poll when idle (so that the body can send
// keep-alives). The connection closes when the body ends or the client goes.
class PushBody {
 public:
  virtual ~PushBody() = default;
  virtual void Start(std::function<void()> wake) = 0;
  // Appends what is ready to `out` without blocking. False: the body ends
  // after `out`.
  virtual bool Poll(std::string* out) = 0;
};

// The WebSocket form of a long-lived stream: the same contract as PushBody,
// but Poll appends whole messages (one WebSocket text message each). The
// server answers the upgrade, then sends what Poll gives; pings keep idle
// connections alive and find dead ones.
class MessageBody {
 public:
  virtual ~MessageBody() = default;
  virtual void Start(std::function<void()> wake) = 0;
  // False: the stream ends (a normal close) after `messages`.
  virtual bool Poll(std::vector<std::string>* messages) = 0;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set, the body is produced as it is sent (chunked transfer
  // encoding) instead of `body`: a query for millions of observations starts
  // answering at once, in bounded memory. The producer calls `write` with
  // each piece; `write` returns false once the client is gone, and the
  // producer should stop. A producer error after the headers are out can only
  // cut the response short (the client sees no final chunk).
  using Write = std::function<bool(std::string_view)>;
  std::function<Status(const Write& write)> stream;
  // When set, a long-lived body (see PushBody); `body` and `stream` unused.
  std::shared_ptr<PushBody> push;
  // When set, the answer to a WebSocket upgrade (IsWebSocketUpgrade): the
  // server completes the handshake and sends the messages; status, headers
  // and every other body are unused.
  std::shared_ptr<MessageBody> websocket;

  void SetHeader(const std::string& name, std::string value);
  const std::string* FindHeader(std::string_view name) const;  // case-insensitive
  static HttpResponse Make(int status, std::string content_type, std::string body);
  // {"error": {"status": 400, "message": ...}} as application/json.
  static HttpResponse Error(int status, const std::string& message);
};

// Splits "path?query" into a decoded path (no trailing slash except "/")
// and decoded query parameters. False on malformed percent-encoding.
bool ParseTarget(std::string_view target, std::string* path, std::multimap<std::string, std::string>* query);
std::string PercentDecode(std::string_view s, bool plus_is_space, bool* ok);

}  // namespace hub::http
