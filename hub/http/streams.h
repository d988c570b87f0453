// The two byte streams a server session runs on: PacedStream (plain TCP)
// and TlsStream (TLS over a PacedStream). Included only by the Beast
// translation units (server.cc, websocket_session.cc).
#pragma once

#include <poll.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <chrono>
#include <utility>

namespace hub::http {

// A beast::tcp_stream whose *synchronous* reads and writes wait at most
// `sync_timeout` for the peer. Asynchronous operations pass straight through
// (and keep tcp_stream's expires_after timeouts).
//
// Why: a streamed response is written synchronously from inside its
// producer (Session::ReplyStreaming), and asio's synchronous write waits
// forever on a client that stopped reading; with TLS that write happens
// inside the SSL engine, which calls this layer's write_some, so the bound
// must live here rather than around the session's own writes.
class PacedStream {
 public:
  using executor_type = boost::beast::tcp_stream::executor_type;
  using next_layer_type = boost::beast::tcp_stream;
  using lowest_layer_type = boost::beast::tcp_stream::socket_type;  // what asio::ssl::stream asks for

  PacedStream(boost::asio::ip::tcp::socket socket, std::chrono::milliseconds sync_timeout)
      : stream_(std::move(socket)), sync_timeout_(sync_timeout) {}

  executor_type get_executor() noexcept { return stream_.get_executor(); }
  next_layer_type& next_layer() noexcept { return stream_; }  // beast::get_lowest_layer walks this
  lowest_layer_type& lowest_layer() noexcept { return stream_.socket(); }
  lowest_layer_type& socket() noexcept { return stream_.socket(); }

  template <typename MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, boost::beast::error_code& ec) {
    return Paced(POLLIN, ec, [&] { return stream_.socket().read_some(buffers, ec); });
  }
  template <typename ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers, boost::beast::error_code& ec) {
    return Paced(POLLOUT, ec, [&] { return stream_.socket().write_some(buffers, ec); });
  }
  template <typename MutableBuffers, typename Handler>
  auto async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    return stream_.async_read_some(buffers, std::forward<Handler>(handler));
  }
  template <typename ConstBuffers, typename Handler>
  auto async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    return stream_.async_write_some(buffers, std::forward<Handler>(handler));
  }

 private:
  // Tries `op` in non-blocking mode; on would_block waits (poll) for
  // `events` at most sync_timeout, then tries again.
  template <typename Op>
  std::size_t Paced(short events, boost::beast::error_code& ec, Op op) {
    auto& s = stream_.socket();
    s.non_blocking(true, ec);
    if (ec) return 0;
    std::size_t n = 0;
    for (;;) {
      n = op();
      if (ec != boost::asio::error::would_block && ec != boost::asio::error::try_again) break;
      pollfd p{s.native_handle(), events, 0};
      if (::poll(&p, 1, static_cast<int>(sync_timeout_.count())) <= 0) {
        ec = boost::asio::error::timed_out;
        n = 0;
        break;
      }
    }
    boost::beast::error_code ignored;
    s.non_blocking(false, ignored);
    return n;
  }

  boost::beast::tcp_stream stream_;
  std::chrono::milliseconds sync_timeout_;
};

using TlsStream = boost::asio::ssl::stream<PacedStream>;

// A WebSocket over TLS ends with the TLS close and then this (found by
// ADL): the TCP connection closes as a tcp_stream's does.
inline void teardown(boost::beast::role_type role, PacedStream& stream, boost::beast::error_code& ec) {
  using boost::beast::websocket::teardown;
  teardown(role, stream.next_layer(), ec);
}
template <typename Handler>
void async_teardown(boost::beast::role_type role, PacedStream& stream, Handler&& handler) {
  using boost::beast::websocket::async_teardown;
  async_teardown(role, stream.next_layer(), std::forward<Handler>(handler));
}

}  // namespace hub::http
