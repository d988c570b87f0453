#include "hub/http/websocket_session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <optional>

namespace hub::http {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

// One subscriber over WebSocket, entirely on its socket's executor: one
// write at a time from a queue that holds at most one Poll's messages, so a
// slow client holds back only its own body (which, like PushBody, is read
// at the client's pace). `NextLayer`: beast::tcp_stream or TlsStream.
template <typename NextLayer>
class WsSession : public std::enable_shared_from_this<WsSession<NextLayer>> {
  using std::enable_shared_from_this<WsSession<NextLayer>>::shared_from_this;

 public:
  template <typename Stream>
  WsSession(Stream stream, std::shared_ptr<MessageBody> body, const HttpOptions* options)
      : ws_(std::move(stream)), body_(std::move(body)), options_(options) {}

  void Accept(beast::http::request<beast::http::string_body> request) {
    beast::get_lowest_layer(ws_).expires_never();  // the websocket timeouts below take over
    websocket::stream_base::timeout t{};
    t.handshake_timeout = options_->read_timeout;
    // Silence for this long draws a ping; no answer within it closes: a
    // client that stopped reading cannot answer, so this also bounds writes.
    t.idle_timeout = options_->push_write_timeout;
    t.keep_alive_pings = true;
    ws_.set_option(t);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, "sdmx-hub"); }));
    ws_.text(true);
    ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) { self->OnAccept(ec); });
  }

 private:
  void OnAccept(beast::error_code ec) {
    if (ec) return;  // not a valid handshake: Beast has answered 400
    idle_timer_.emplace(ws_.get_executor());
    std::weak_ptr<WsSession> weak = shared_from_this();
    auto ex = ws_.get_executor();
    body_->Start([weak, ex] {
      net::post(ex, [weak] {
        if (auto self = weak.lock()) self->Wake();
      });
    });
    Read();
    Poll();
  }

  // Clients have nothing to say on this feed; reading keeps pings and the
  // close handshake going, and an error means the client has gone.
  void Read() {
    ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->End();
      self->in_.clear();
      self->Read();
    });
  }

  void Wake() {
    if (done_ || writing_) return;  // a write in flight polls when it completes
    idle_timer_->cancel();
    Poll();
  }

  void Poll() {
    if (done_) return;
    polled_.clear();
    if (!body_->Poll(&polled_)) ended_ = true;
    for (auto& m : polled_) queue_.push_back(std::move(m));
    if (!queue_.empty()) return Write();
    if (ended_) return Close();
    idle_timer_->expires_after(options_->push_idle_poll);
    idle_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->Poll();
    });
  }

  void Write() {
    writing_ = true;
    ws_.async_write(net::buffer(queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (ec) return self->End();
      self->queue_.pop_front();
      if (!self->queue_.empty()) return self->Write();
      if (self->ended_) return self->Close();
      self->Poll();
    });
  }

  // The body ended: a normal close handshake.
  void Close() {
    if (done_) return;
    done_ = true;
    idle_timer_->cancel();
    ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {});
  }

  // The client went (or timed out): drop the connection.
  void End() {
    if (done_) return;
    done_ = true;
    if (idle_timer_) idle_timer_->cancel();
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  websocket::stream<NextLayer> ws_;
  std::shared_ptr<MessageBody> body_;
  const HttpOptions* options_;
  beast::flat_buffer in_;
  std::vector<std::string> polled_;
  std::deque<std::string> queue_;
  std::optional<net::steady_timer> idle_timer_;
  bool writing_ = false, ended_ = false, done_ = false;
};

}  // namespace

void RunWebSocketSession(net::ip::tcp::socket socket, beast::http::request<beast::http::string_body> request,
                         std::shared_ptr<MessageBody> body, const HttpOptions* options) {
  std::make_shared<WsSession<beast::tcp_stream>>(std::move(socket), std::move(body), options)
      ->Accept(std::move(request));
}

void RunWebSocketSession(TlsStream stream, beast::http::request<beast::http::string_body> request,
                         std::shared_ptr<MessageBody> body, const HttpOptions* options) {
  std::make_shared<WsSession<TlsStream>>(std::move(stream), std::move(body), options)->Accept(std::move(request));
}

}  // namespace hub::http
