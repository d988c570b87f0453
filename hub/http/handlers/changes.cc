// GET /api/v1/changes: the change feed as Server-Sent Events, or as
// WebSocket messages when the GET asks for an upgrade. One event per
// applied submission, `id:` its watermark; a client resumes with
// Last-Event-ID (or ?after=W) and gets every later watermark once, in order.
// Filters: dataflow= (ID, AGENCY:ID or AGENCY:ID(VERSION)) and key= (v1 key
// syntax). Event types: `commit` (data: JSON below), `resume` (the
// subscriber fell behind: reconnect from the id it has), `error`. Over
// WebSocket each event is one text message {"id":W,"event":...,"data":...};
// a WebSocket client resumes with ?after= (browsers cannot set headers).
// The commit JSON is in hub/feed/change_json.h.
#include <boost/json.hpp>
#include <charconv>
#include <chrono>

#include "hub/base/json_text.h"
#include "hub/feed/change_feed.h"
#include "hub/feed/change_json.h"
#include "hub/http/handlers/handlers.h"

namespace hub::http {
namespace {

namespace json = boost::json;

// One subscriber's events, framed by SseBody or WsBody.
struct FeedItem {
  uint64_t id = 0;   // 0: none (resume, error)
  std::string type;  // commit | resume | error
  std::string data;  // JSON
};

// What the subscription has next; false: the stream ends after `out`.
bool NextItems(feed::Subscription& sub, std::vector<FeedItem>* out) {
  auto batch = sub.Next();
  if (!batch.ok()) {
    out->push_back({0, "error", JsonText(json::string(batch.status().ToString()))});
    return false;
  }
  if (batch->resume) {
    out->push_back({0, "resume", "{\"lastEventId\":" + std::to_string(sub.cursor()) +
                                     ",\"reason\":\"the subscriber fell behind: reconnect with Last-Event-ID\"}"});
    return false;
  }
  for (const feed::ChangeEvent& e : batch->events) out->push_back({e.commit.seq(), "commit", feed::ChangeEventJson(e)});
  return true;
}

// Server-Sent Events: `id:` the watermark, `event:` the type, `data:` the JSON.
class SseBody final : public PushBody {
 public:
  explicit SseBody(std::shared_ptr<feed::Subscription> sub) : sub_(std::move(sub)) {}

  void Start(std::function<void()> wake) override { sub_->SetWake(std::move(wake)); }

  bool Poll(std::string* out) override {
    const auto now = std::chrono::steady_clock::now();
    if (!started_) {
      started_ = true;
      *out += "retry: 1000\n\n";  // reconnect after 1 s
    }
    items_.clear();
    const bool more = NextItems(*sub_, &items_);
    for (const FeedItem& item : items_) {
      if (item.id) *out += "id: " + std::to_string(item.id) + "\n";
      *out += "event: " + item.type + "\ndata: " + item.data + "\n\n";
    }
    if (out->empty() && now - last_out_ >= std::chrono::seconds(10)) *out += ": keep-alive\n\n";
    if (!out->empty()) last_out_ = now;
    return more;
  }

 private:
  std::shared_ptr<feed::Subscription> sub_;
  std::vector<FeedItem> items_;
  bool started_ = false;
  std::chrono::steady_clock::time_point last_out_ = std::chrono::steady_clock::now();
};

// The same events over WebSocket, one text message each:
//   {"id":7,"event":"commit","data":{...as in SSE...}}
// (resume and error carry no id). Keep-alives are WebSocket pings.
class WsBody final : public MessageBody {
 public:
  explicit WsBody(std::shared_ptr<feed::Subscription> sub) : sub_(std::move(sub)) {}

  void Start(std::function<void()> wake) override { sub_->SetWake(std::move(wake)); }

  bool Poll(std::vector<std::string>* messages) override {
    items_.clear();
    const bool more = NextItems(*sub_, &items_);
    for (const FeedItem& item : items_) {
      std::string m = "{";
      if (item.id) m += "\"id\":" + std::to_string(item.id) + ",";
      m += "\"event\":\"" + item.type + "\",\"data\":" + item.data + "}";
      messages->push_back(std::move(m));
    }
    return more;
  }

 private:
  std::shared_ptr<feed::Subscription> sub_;
  std::vector<FeedItem> items_;
};

HttpResponse Changes(const HandlerContext& ctx, const HttpRequest& req) {
  if (Status st = CheckQueryParams(req, {"dataflow", "key", "after"}); !st.ok()) return ErrorFromStatus(st);
  // Where to start: Last-Event-ID (a reconnecting EventSource), else
  // ?after=, else now (only what commits from here on).
  std::string after = req.Header("last-event-id");
  if (after.empty()) after = req.Query("after");
  uint64_t from = ctx.state->watermark().value;
  if (!after.empty()) {
    auto [p, ec] = std::from_chars(after.data(), after.data() + after.size(), from);
    if (ec != std::errc() || p != after.data() + after.size()) {
      return HttpResponse::Error(400, "Last-Event-ID / after '" + after + "': expected a watermark");
    }
  }
  auto filter = feed::ParseChangeFilter(req.Query("dataflow"), req.Query("key"));
  if (!filter.ok()) return ErrorFromStatus(filter.status());
  auto sub = ctx.changes->Subscribe(from, std::move(*filter));
  if (!sub.ok()) return ErrorFromStatus(sub.status());
  HttpResponse resp;
  resp.status = 200;
  resp.SetHeader("Content-Type", "text/event-stream");
  resp.SetHeader("X-Hub-Watermark", std::to_string(ctx.state->watermark().value));
  if (IsWebSocketUpgrade(req)) {
    resp.websocket = std::make_shared<WsBody>(std::move(*sub));
  } else {
    resp.push = std::make_shared<SseBody>(std::move(*sub));
  }
  return resp;
}

}  // namespace

void RegisterChangeRoutes(Router* router, const HandlerContext& ctx) {
  router->Add("GET", "/api/v1/changes", [ctx](HttpRequest& req) { return Changes(ctx, req); });
}

}  // namespace hub::http
