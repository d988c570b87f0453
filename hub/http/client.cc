#include "hub/http/client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <limits>

namespace hub::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Url {
  bool tls = false;
  std::string host, port, hostport, target;
};

Result<Url> ParseUrl(const std::string& url) {
  Url u;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    rest = url.substr(8);
  } else {
    return Status::InvalidArgument("only http:// and https:// URLs are supported: " + url);
  }
  const size_t slash = rest.find('/');
  u.hostport = rest.substr(0, slash);
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  // "[::1]:8443": the brackets are the URL's, not the address's.
  const size_t close = u.hostport.rfind(']');
  const size_t colon = u.hostport.rfind(':');
  const bool has_port = colon != std::string::npos && (close == std::string::npos || colon > close);
  u.host = u.hostport.substr(0, has_port ? colon : std::string::npos);
  if (u.host.size() > 2 && u.host.front() == '[' && u.host.back() == ']') u.host = u.host.substr(1, u.host.size() - 2);
  u.port = has_port ? u.hostport.substr(colon + 1) : (u.tls ? "443" : "80");
  if (u.host.empty()) return Status::InvalidArgument("no host in URL " + url);
  return u;
}

// One request: what it needs, and what it gives.
struct Call {
  const Url& u;
  bhttp::request<bhttp::string_body>& req;
  const FetchOptions& options;
  std::FILE* file = nullptr;  // the body, when options.body_file is set
  uint64_t file_size = 0;
  std::chrono::steady_clock::time_point deadline;  // options.timeout from the start
  Result<HttpResponse> out = Status::Internal("the request did not run");
};

// Every operation may take what is left of the deadline (none: no limit).
void Arm(beast::tcp_stream& s, const Call& c) {
  if (c.options.timeout.count() > 0) {
    s.expires_at(c.deadline);
  } else {
    s.expires_never();
  }
}

Status Failed(const std::string& what, const Call& c, const beast::error_code& ec) {
  if (ec == beast::error::timeout) {
    return Status::DeadlineExceeded(what + " " + c.u.hostport + ": no answer within " +
                                    std::to_string(c.options.timeout.count()) + " ms (FetchOptions.timeout)");
  }
  return Status::Unavailable(what + " " + c.u.hostport + ": " + ec.message());
}

// Sends the request and reads the answer on `stream` (plain or TLS).
template <typename Stream>
net::awaitable<Status> Exchange(Stream& stream, Call& c) {
  beast::error_code ec;
  auto token = net::redirect_error(net::use_awaitable, ec);
  Arm(beast::get_lowest_layer(stream), c);
  bhttp::request_serializer<bhttp::string_body> sr(c.req);
  if (c.file) {
    // The head says Content-Length; the body follows from the file, a
    // piece at a time.
    co_await bhttp::async_write_header(stream, sr, token);
    std::string piece(std::max<size_t>(c.options.file_piece_bytes, 4096), '\0');
    uint64_t sent = 0, reported = 0;
    while (!ec && sent < c.file_size) {
      const size_t n = std::fread(piece.data(), 1, std::min<uint64_t>(piece.size(), c.file_size - sent), c.file);
      if (n == 0) co_return Status::IoError("read " + c.options.body_file + ": it ended after " + std::to_string(sent) +
                                            " of " + std::to_string(c.file_size) + " bytes");
      if (c.options.on_file_piece) c.options.on_file_piece(std::string_view(piece.data(), n));
      co_await net::async_write(stream, net::buffer(piece.data(), n), token);
      sent += n;
      if (c.options.on_upload && (sent - reported >= c.options.progress_step || sent == c.file_size)) {
        c.options.on_upload(sent, c.file_size);
        reported = sent;
      }
    }
  } else if (c.options.on_upload) {
    // At most progress_step bytes per write, so that progress shows.
    const uint64_t step = std::max<uint64_t>(c.options.progress_step, 4096), total = c.req.body().size();
    sr.limit(static_cast<std::size_t>(step));
    co_await bhttp::async_write_header(stream, sr, token);
    uint64_t sent = 0;
    while (!ec && !sr.is_done()) {
      sent += co_await bhttp::async_write_some(stream, sr, token);
      if (!ec) c.options.on_upload(std::min(sent, total), total);
    }
  } else {
    co_await bhttp::async_write(stream, sr, token);
  }
  if (ec) co_return Failed("send to", c, ec);

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(c.options.max_response_bytes ? c.options.max_response_bytes
                                                 : std::numeric_limits<std::uint64_t>::max());
  if (c.req.method() == bhttp::verb::head) parser.skip(true);  // a HEAD answer has no body, whatever its framing
  co_await bhttp::async_read(stream, buffer, parser, token);
  if (ec == bhttp::error::body_limit) {
    co_return Status::ResourceExhausted("the answer from " + c.u.hostport + " is larger than " +
                                        std::to_string(c.options.max_response_bytes) +
                                        " bytes (FetchOptions.max_response_bytes)");
  }
  if (ec) co_return Failed("read from", c, ec);
  auto res = parser.release();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  out.body = std::move(res.body());
  c.out = std::move(out);
  co_return Status::Ok();
}

net::awaitable<void> RunPlain(Call* c, tcp::resolver::results_type endpoints) {
  beast::error_code ec;
  beast::tcp_stream stream(co_await net::this_coro::executor);
  Arm(stream, *c);
  co_await stream.async_connect(endpoints, net::redirect_error(net::use_awaitable, ec));
  if (ec) {
    c->out = Failed("connect", *c, ec);
    co_return;
  }
  if (Status s = co_await Exchange(stream, *c); !s.ok()) c->out = s;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

net::awaitable<void> RunTls(Call* c, tcp::resolver::results_type endpoints, net::ssl::context* ctx) {
  beast::error_code ec;
  auto token = net::redirect_error(net::use_awaitable, ec);
  net::ssl::stream<beast::tcp_stream> stream(co_await net::this_coro::executor, *ctx);
  // The name the certificate must carry (DNS name or IP address), and SNI.
  stream.set_verify_callback(net::ssl::host_name_verification(c->u.host));
  if (!SSL_set_tlsext_host_name(stream.native_handle(), c->u.host.c_str())) {
    c->out = Status::Internal("TLS: cannot set the server name " + c->u.host);
    co_return;
  }
  Arm(beast::get_lowest_layer(stream), *c);
  co_await beast::get_lowest_layer(stream).async_connect(endpoints, token);
  if (ec) {
    c->out = Failed("connect", *c, ec);
    co_return;
  }
  co_await stream.async_handshake(net::ssl::stream_base::client, token);
  if (ec) {
    c->out = Failed("TLS handshake with", *c, ec);
    co_return;
  }
  if (Status s = co_await Exchange(stream, *c); !s.ok()) {
    c->out = s;
    co_return;
  }
  // close_notify, briefly: a server that just closes is fine too.
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
  co_await stream.async_shutdown(token);
}

}  // namespace

Result<HttpResponse> Fetch(const std::string& method, const std::string& url, const std::string& body,
                           const std::map<std::string, std::string>& headers, const FetchOptions& options) {
  HUB_ASSIGN_OR_RETURN(Url u, ParseUrl(url));
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::error_code ec;
  auto endpoints = resolver.resolve(u.host, u.port, ec);
  if (ec) return Status::Unavailable("resolve " + u.hostport + ": " + ec.message());

  bhttp::request<bhttp::string_body> req(bhttp::string_to_verb(method), u.target, 11);
  req.set(bhttp::field::host, u.hostport);
  req.set(bhttp::field::user_agent, "sdmx-hub");
  for (const auto& [k, v] : headers) req.set(k, v);
  Call call{u, req, options, nullptr, 0, std::chrono::steady_clock::now() + options.timeout};
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, std::fclose);
  if (!options.body_file.empty()) {
    if (!body.empty()) return Status::InvalidArgument("Fetch: a body and a body_file");
    file.reset(std::fopen(options.body_file.c_str(), "rb"));
    std::error_code size_ec;
    call.file_size = std::filesystem::file_size(options.body_file, size_ec);
    if (!file || size_ec) return Status::IoError("open " + options.body_file + ": " + std::strerror(errno));
    call.file = file.get();
    req.content_length(call.file_size);
  } else {
    req.body() = body;
    req.prepare_payload();
  }

  if (!u.tls) {
    net::co_spawn(ioc, RunPlain(&call, std::move(endpoints)), net::detached);
    ioc.run();
    return std::move(call.out);
  }
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 | net::ssl::context::no_sslv3 |
                  net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
  if (options.ca_file.empty()) {
    ctx.set_default_verify_paths(ec);
  } else {
    ctx.load_verify_file(options.ca_file, ec);
  }
  if (ec) return Status::InvalidArgument("CA certificates " + options.ca_file + ": " + ec.message());
  ctx.set_verify_mode(net::ssl::verify_peer);
  net::co_spawn(ioc, RunTls(&call, std::move(endpoints), &ctx), net::detached);
  ioc.run();
  return std::move(call.out);
}

}  // namespace hub::http
