#include "hub/http/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
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

// Sends `req` and reads the answer on any synchronous stream.
template <typename Stream>
Result<HttpResponse> Exchange(Stream& stream, bhttp::request<bhttp::string_body>& req, const Url& u,
                              const FetchOptions& options) {
  beast::error_code ec;
  bhttp::request_serializer<bhttp::string_body> sr(req);
  if (options.on_upload) {
    // At most progress_step bytes per write, so that progress shows.
    const uint64_t step = std::max<uint64_t>(options.progress_step, 4096), total = req.body().size();
    sr.limit(static_cast<std::size_t>(step));
    bhttp::write_header(stream, sr, ec);
    uint64_t sent = 0;
    while (!ec && !sr.is_done()) {
      sent += bhttp::write_some(stream, sr, ec);
      if (!ec) options.on_upload(std::min(sent, total), total);
    }
  } else {
    bhttp::write(stream, sr, ec);
  }
  if (ec) return Status::Unavailable("send to " + u.hostport + ": " + ec.message());

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  if (req.method() == bhttp::verb::head) parser.skip(true);  // a HEAD answer has no body, whatever its framing
  bhttp::read(stream, buffer, parser, ec);
  if (ec) return Status::Unavailable("read from " + u.hostport + ": " + ec.message());
  auto res = parser.release();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  out.body = std::move(res.body());
  return out;
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
  req.body() = body;
  req.prepare_payload();

  if (!u.tls) {
    beast::tcp_stream stream(ioc);
    stream.connect(endpoints, ec);
    if (ec) return Status::Unavailable("connect " + u.hostport + ": " + ec.message());
    auto out = Exchange(stream, req, u, options);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return out;
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
  net::ssl::stream<beast::tcp_stream> stream(ioc, ctx);
  // The name the certificate must carry (DNS name or IP address), and SNI.
  stream.set_verify_callback(net::ssl::host_name_verification(u.host));
  if (!SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str())) {
    return Status::Internal("TLS: cannot set the server name " + u.host);
  }
  beast::get_lowest_layer(stream).connect(endpoints, ec);
  if (ec) return Status::Unavailable("connect " + u.hostport + ": " + ec.message());
  stream.handshake(net::ssl::stream_base::client, ec);
  if (ec) return Status::Unavailable("TLS handshake with " + u.hostport + ": " + ec.message());
  auto out = Exchange(stream, req, u, options);
  stream.shutdown(ec);  // close_notify; a server that just closes is fine too
  return out;
}

}  // namespace hub::http
