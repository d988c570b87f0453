// The only translation unit (with client.cc) that includes Beast: it costs
// ~20 s to compile, so handlers stay out of it. That is also why it runs
// past 600 lines: the session's read, upload, streamed and push paths share
// its stream and parser state, and splitting them would spread Beast over
// more translation units.
#include "hub/http/server.h"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <algorithm>
#include <cstring>
#include <cctype>
#include <optional>
#include <sstream>
#include <thread>
#include <type_traits>
#include <vector>

#include "hub/http/streams.h"
#include "hub/http/uploads.h"
#include "hub/http/websocket_session.h"

namespace hub::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// One connection, on one io thread. `Stream` is PacedStream (plain HTTP)
// or TlsStream (HTTPS); the two differ only in the handshake, the close and
// the WebSocket handover (the `kTls` branches).
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;

 public:
  Session(Stream stream, const Router* router, const HttpOptions* options, Uploads* uploads)
      : stream_(std::move(stream)), router_(router), options_(options), uploads_(uploads) {}

  void Run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if constexpr (kTls) {
        self->lowest().expires_after(self->options_->read_timeout);
        self->stream_.async_handshake(net::ssl::stream_base::server, [self](beast::error_code ec) {
          // A client that is not speaking TLS, or does not trust us: nothing to answer in HTTP.
          if (ec) return spdlog::debug("tls handshake: {}", ec.message());
          self->Read();
        });
      } else {
        self->Read();
      }
    });
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  tcp::socket& socket() { return lowest().socket(); }

  void Read() {
    head_ = false;
    upload_.reset();
    parser_.emplace();
    parser_->body_limit(options_->max_body_bytes);
    parser_->header_limit(options_->max_header_bytes);
    lowest().expires_after(options_->read_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  // A large body is read piece by piece and reported (on_body_progress);
  // any other goes on in one read.
  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnRead(ec, 0);
    const auto length = parser_->content_length();
    std::optional<HttpRequest> head;  // copied once for both hooks
    if (options_->admit_body && (parser_->chunked() || length.value_or(0) > 0)) {
      CopyHead(parser_->get(), &head.emplace());
      if (std::optional<HttpResponse> refused = options_->admit_body(*head)) {
        return Reply(std::move(*refused), parser_->get().version(), false);
      }
    }
    // curl and others ask before sending a large body, and wait a second
    // for an answer that Beast does not give by itself.
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue") &&
        (parser_->chunked() || length.value_or(0) > 0)) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      lowest().expires_after(options_->read_timeout);
      return net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                              [self = shared_from_this(), head = std::move(head)](beast::error_code ec, std::size_t) mutable {
                                if (!ec) self->ReadBody(std::move(head));
                              });
    }
    ReadBody(std::move(head));
  }

  // After the head (and any 100 Continue): the body, in one of three ways.
  void ReadBody(std::optional<HttpRequest> head) {
    const auto length = parser_->content_length();
    const bool reported = options_->on_body_progress && length && *length >= options_->body_progress_bytes;
    const bool streamed = options_->stream_body && length && *length >= options_->stream_body_bytes &&
                          options_->stream_body(head ? *head : *CopyHead(parser_->get(), &head.emplace()));
    if (reported || streamed) {
      body_deadline_ = std::chrono::steady_clock::now() + options_->read_timeout +
                       std::chrono::seconds(*length / std::max<uint64_t>(options_->min_body_bytes_per_second, 1));
    }
    if (reported) {
      if (!head) CopyHead(parser_->get(), &head.emplace());
      progress_head_ = head;
      progress_reported_ = 0;
    }
    if (streamed) return StartUpload(std::move(*head), *length);
    if (reported) return ReadBodySome();
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void ReadBodySome() {
    // A body that keeps arriving is not idle: read_timeout bounds each
    // piece, body_deadline_ the whole.
    lowest().expires_at(std::min(std::chrono::steady_clock::now() + options_->read_timeout, body_deadline_));
    bhttp::async_read_some(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->OnRead(ec, 0);
      const uint64_t total = *self->parser_->content_length();
      self->ReportProgress(total - self->parser_->content_length_remaining().value_or(0), total);
      if (self->parser_->is_done()) return self->OnRead({}, 0);
      self->ReadBodySome();
    });
  }

  // Tells on_body_progress how far the body is, once per kProgressStep
  // bytes: a report authenticates the uploader and takes a lock, and
  // loopback delivers a body in pieces of a few KiB.
  void ReportProgress(uint64_t received, uint64_t total) {
    if (received < total && received - progress_reported_ < kProgressStep) return;
    progress_reported_ = received;
    options_->on_body_progress(*progress_head_, received, total, false);
  }

  // Tells on_body_progress that the request reported so far is over.
  void EndProgress() {
    if (!progress_head_) return;
    options_->on_body_progress(*progress_head_, 0, 0, true);
    progress_head_.reset();
  }

  // A body streamed to its handler (HttpOptions.stream_body): the handler
  // starts at once on an upload worker with the body as ArrivingBytes,
  // which the reads below fill in place (no copy). The answer goes out once
  // both the handler has returned and the body has been read: a handler
  // that decides early (403) does not leave unread bytes on the connection.
  void StartUpload(HttpRequest head, uint64_t length) {
    upload_.reset();
    if (!options_->spool_dir.empty()) {
      auto spooled = ArrivingBytes::Spooled(length, options_->spool_dir);
      if (spooled.ok()) {
        upload_ = std::move(*spooled);
      } else {
        spdlog::warn("upload held in memory: {}", spooled.status().ToString());
      }
    }
    if (!upload_) upload_ = std::make_shared<ArrivingBytes>(length);
    uploads_->Add(upload_);
    // The head is read; the body is read past the parser (ReadUploadSome).
    upload_version_ = parser_->get().version();
    upload_keep_alive_ = parser_->get().keep_alive();
    upload_answer_.reset();
    upload_read_ = false;
    upload_failed_ = false;
    head.arriving = upload_;
    net::post(uploads_->workers(), [self = shared_from_this(), ex = stream_.get_executor(), r = std::move(head)]() mutable {
      HttpResponse out = self->router_->Handle(r);
      net::post(ex, [self, out = std::move(out)]() mutable {
        self->upload_answer_ = std::move(out);
        if (self->upload_failed_) return self->EndProgress();  // the handler let go of the id: now it may go
        self->MaybeAnswerUpload();
      });
    });
    ReadUploadSome();
  }

  // The body of a streamed upload is read straight from the stream into
  // the upload's own buffer, a piece of up to room() bytes at a time (not
  // through the parser, which reads 64 KiB at most and copies it): each
  // piece costs a timer, a read, a write to the spool and a wake-up of the
  // handler, so the fewer the better.
  void ReadUploadSome() {
    if (buffer_.size() > 0) {  // read with the head (or pipelined): take it first
      const size_t n = std::min(buffer_.size(), upload_->room());
      std::memcpy(upload_->tail(), buffer_.data().data(), n);
      buffer_.consume(n);
      return UploadPieceRead({}, n);
    }
    lowest().expires_at(std::min(std::chrono::steady_clock::now() + options_->read_timeout, body_deadline_));
    stream_.async_read_some(net::buffer(upload_->tail(), upload_->room()),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->UploadPieceRead(ec, n);
                            });
  }

  void UploadPieceRead(beast::error_code ec, std::size_t n) {
    if (!upload_->Arrived(n)) return UploadFailed();  // the spool refused it
    if (ec) {
      // Cut short, timed out or reset: nothing to answer on this connection.
      upload_->Fail(Status::Unavailable("upload: " + ec.message()));
      return UploadFailed();
    }
    const uint64_t total = upload_->size();
    const uint64_t have = upload_->available();
    if (progress_head_) ReportProgress(have, total);
    if (have < total) return ReadUploadSome();
    upload_read_ = true;
    MaybeAnswerUpload();
  }

  // The progress entry of a failed upload goes once its handler has
  // returned too: until then the handler holds the submission id, and a
  // client that saw the entry gone would be refused its retry (409).
  void UploadFailed() {
    if (upload_answer_) return EndProgress();
    upload_failed_ = true;
  }

  void MaybeAnswerUpload() {
    if (!upload_answer_ || !upload_read_) return;  // a failed read never sets upload_read_: no answer
    EndProgress();
    HttpResponse out = std::move(*upload_answer_);
    upload_answer_.reset();
    Reply(std::move(out), upload_version_, upload_keep_alive_);
  }

  static HttpRequest* CopyHead(const bhttp::request<bhttp::string_body>& req, HttpRequest* r) {
    r->method = std::string(req.method_string());
    r->target = std::string(req.target());
    for (const auto& f : req) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r->headers[name] = std::string(f.value());
    }
    return r;
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec) EndProgress();
    if (ec == bhttp::error::end_of_stream) return Close();
    if (ec == bhttp::error::body_limit) {
      return Reply(HttpResponse::Error(413, "request body larger than " + std::to_string(options_->max_body_bytes) +
                                                " bytes (HttpOptions.max_body_bytes)"),
                   11, false);
    }
    if (ec == bhttp::error::header_limit) {
      return Reply(HttpResponse::Error(431, "request header too large"), 11, false);
    }
    if (ec) return;  // timeout or reset: nothing to answer
    bhttp::request<bhttp::string_body> req = parser_->release();
    HttpRequest r;
    CopyHead(req, &r);
    r.body = std::move(req.body());
    head_ = req.method() == bhttp::verb::head;
    HttpResponse out = router_->Handle(r);
    EndProgress();
    if (out.websocket) {
      if (!beast::websocket::is_upgrade(req)) {
        return Reply(HttpResponse::Error(400, "this route answers WebSocket upgrades only"), req.version(), false);
      }
      // The connection leaves this session for a WebSocket one.
      if constexpr (kTls) {
        return RunWebSocketSession(std::move(stream_), std::move(req), std::move(out.websocket), options_);
      } else {
        return RunWebSocketSession(lowest().release_socket(), std::move(req), std::move(out.websocket), options_);
      }
    }
    Reply(std::move(out), req.version(), req.keep_alive());
  }

  void Reply(HttpResponse out, unsigned version, bool keep_alive) {
    if (out.push && !head_) return ReplyPush(std::move(out), version);
    if (out.stream) return ReplyStreaming(std::move(out), version, keep_alive);
    res_ = {};
    res_.result(static_cast<bhttp::status>(out.status));
    res_.version(version);
    res_.keep_alive(keep_alive);
    res_.set(bhttp::field::server, "sdmx-hub");
    for (auto& [k, v] : out.headers) res_.set(k, v);
    res_.body() = std::move(out.body);
    res_.prepare_payload();
    if (head_) {
      const auto len = res_.body().size();
      res_.body().clear();
      res_.content_length(len);
    }
    lowest().expires_after(options_->read_timeout);
    bhttp::async_write(stream_, res_,
                       beast::bind_front_handler(&Session::OnWrite, shared_from_this(), keep_alive));
  }

  // Writes all of `buffers`; the stream waits at most read_timeout for the
  // client to make room each time (PacedStream).
  template <typename Buffers>
  void WriteAll(const Buffers& buffers, beast::error_code& ec) {
    if (!ec) net::write(stream_, buffers, ec);
  }

  // Runs the producer on this io thread, synchronously, at the client's
  // pace, holding at most stream_hold_bytes: a body that ends within them
  // goes out whole through Reply (most API answers are small: one write);
  // past them the head goes out chunked and every further piece as a chunk.
  // A client that stops reading for read_timeout ends the response and
  // frees the thread (WriteAll).
  void ReplyStreaming(HttpResponse out, unsigned version, bool keep_alive) {
    beast::error_code ec;
    std::string held;
    bool chunked = false;
    auto send_chunk = [&](std::string_view piece) {
      WriteAll(bhttp::make_chunk(net::const_buffer(piece.data(), piece.size())), ec);
      return !ec;
    };
    Status s = out.stream([&](std::string_view piece) {
      if (ec) return false;
      if (chunked) return send_chunk(piece);
      held.append(piece);
      if (held.size() < options_->stream_hold_bytes) return true;
      chunked = true;
      bhttp::response<bhttp::empty_body> res{static_cast<bhttp::status>(out.status), version};
      res.keep_alive(keep_alive);
      res.set(bhttp::field::server, "sdmx-hub");
      for (auto& [k, v] : out.headers) res.set(k, v);
      res.chunked(!head_);  // a HEAD answer announces no body
      std::ostringstream head;
      head << res.base();
      const std::string text = head.str();
      WriteAll(net::const_buffer(text.data(), text.size()), ec);
      if (ec || head_) return false;  // HEAD: the head is all
      send_chunk(held);
      held.clear();
      return !ec;
    });
    if (!chunked) {
      if (!s.ok()) return Reply(ErrorResponse(s), version, keep_alive);
      out.body = std::move(held);
      out.stream = nullptr;
      return Reply(std::move(out), version, keep_alive);
    }
    if (!s.ok()) {
      // The head is out: all that can be said is to end without the final chunk.
      spdlog::warn("streaming response cut short: {}", s.ToString());
      return Close();
    }
    if (!ec && !head_) WriteAll(bhttp::make_chunk_last(), ec);
    if (ec) {
      if (ec == net::error::timed_out) spdlog::warn("streaming response abandoned: the client stopped reading");
      return Close();
    }
    if (!keep_alive) return Close();
    Read();
  }

  // A PushBody: the head, then whatever each Poll gives, one write at a
  // time, on this io thread's executor without blocking it. The body ends
  // the response (and the connection: the body is delimited by the close).
  void ReplyPush(HttpResponse out, unsigned version) {
    push_ = std::move(out.push);
    bhttp::response<bhttp::empty_body> res{static_cast<bhttp::status>(out.status), version};
    res.keep_alive(false);
    res.set(bhttp::field::server, "sdmx-hub");
    res.set(bhttp::field::cache_control, "no-cache");
    for (auto& [k, v] : out.headers) res.set(k, v);
    std::ostringstream head;
    head << res.base();
    pending_ = head.str();
    lowest().expires_never();  // the push timers below take over
    idle_timer_.emplace(stream_.get_executor());
    write_timer_.emplace(stream_.get_executor());
    std::weak_ptr<Session> weak = shared_from_this();
    auto ex = stream_.get_executor();
    push_->Start([weak, ex] {
      net::post(ex, [weak] {
        if (auto self = weak.lock()) self->PushWake();
      });
    });
    // The client sends nothing more: a completed read means it has gone.
    stream_.async_read_some(net::buffer(probe_), [self = shared_from_this()](beast::error_code, std::size_t) {
      self->PushEnd();
    });
    PushWrite();
  }

  void PushWake() {
    if (push_done_ || writing_) return;  // a write in flight polls when it completes
    idle_timer_->cancel();
    PushPoll();
  }

  void PushPoll() {
    if (push_done_) return;
    if (!push_->Poll(&pending_)) push_ended_ = true;
    if (!pending_.empty()) return PushWrite();
    if (push_ended_) return PushEnd(true);
    idle_timer_->expires_after(options_->push_idle_poll);
    idle_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->PushPoll();
    });
  }

  void PushWrite() {
    writing_ = true;
    write_timer_->expires_after(options_->push_write_timeout);
    write_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      spdlog::warn("push response abandoned: the client stopped reading for {} ms",
                   self->options_->push_write_timeout.count());
      self->PushEnd();
    });
    net::async_write(stream_, net::buffer(pending_),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->writing_ = false;
                       self->write_timer_->cancel();
                       self->pending_.clear();
                       if (ec || self->push_ended_) return self->PushEnd(!ec);
                       self->PushPoll();
                     });
  }

  // `complete`: the body ended (not the client gone or stuck). Over TLS its
  // end is then said with close_notify: the body is delimited by the close.
  void PushEnd(bool complete = false) {
    if (push_done_) return;
    push_done_ = true;
    if (idle_timer_) idle_timer_->cancel();
    if (write_timer_) write_timer_->cancel();
    if constexpr (kTls) {
      if (complete) return Close();
    }
    beast::error_code ec;
    socket().shutdown(tcp::socket::shutdown_both, ec);
    socket().close(ec);
  }

  static HttpResponse ErrorResponse(const Status& s) {
    return HttpResponse::Error(500, "response failed: " + s.ToString());
  }

  void OnWrite(bool keep_alive, beast::error_code ec, std::size_t) {
    if (ec) return;
    if (!keep_alive) return Close();
    Read();
  }

  // The end of a connection we close: TLS says close_notify first, so that
  // the client can tell a complete close-delimited body from a cut one.
  void Close() {
    if constexpr (kTls) {
      lowest().expires_after(options_->read_timeout);
      stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
        beast::error_code ec;
        self->socket().close(ec);
      });
    } else {
      beast::error_code ec;
      socket().shutdown(tcp::socket::shutdown_send, ec);
      Linger();
    }
  }

  // After our half-close, reads (and drops) what the client still sends
  // until it closes too, for at most kLinger: closing with unread bytes
  // would send a reset, which can destroy the answer (a 413) before the
  // client has read it.
  void Linger() {
    static constexpr std::chrono::seconds kLinger{2};
    if (!lingering_) lowest().expires_after(kLinger);
    lingering_ = true;
    // Into the read buffer's spare room, never committed: dropped as read.
    stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->Linger();
    });
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  // A body streamed to its handler (StartUpload).
  std::shared_ptr<ArrivingBytes> upload_;
  std::optional<HttpResponse> upload_answer_;
  bool upload_read_ = false, upload_keep_alive_ = false;
  bool upload_failed_ = false;  // the body will not come whole (UploadFailed)
  unsigned upload_version_ = 11;
  bhttp::response<bhttp::string_body> res_;
  bool head_ = false;
  std::optional<HttpRequest> progress_head_;  // set while a body is reported (OnHeader)
  uint64_t progress_reported_ = 0;            // bytes of it last reported
  static constexpr uint64_t kProgressStep = uint64_t{1} << 20;
  std::chrono::steady_clock::time_point body_deadline_;  // of a body read piecewise
  // PushBody responses (ReplyPush).
  std::shared_ptr<PushBody> push_;
  std::string pending_;
  std::optional<net::steady_timer> idle_timer_, write_timer_;
  char probe_[64];
  bool writing_ = false, push_ended_ = false, push_done_ = false, lingering_ = false;
  const Router* router_;
  const HttpOptions* options_;
  Uploads* uploads_;
};

}  // namespace

// One io_context, thread and acceptor per thread (HttpOptions.threads, one
// per core): the acceptors share the port through SO_REUSEPORT and the
// kernel spreads connections over them, so a connection lives on one thread
// with no cross-thread handoff (measured here ~1.5x one shared io_context).
struct HttpServer::Impl {
  struct Loop {
    net::io_context ioc{1};
    tcp::acceptor acceptor{ioc};
    net::steady_timer accept_retry{ioc};
    Backoff accept_backoff;  // this loop's thread only
    std::thread thread;
  };
  HttpOptions options;
  const Router* router;
  std::optional<net::ssl::context> tls;  // set = HTTPS
  std::vector<std::unique_ptr<Loop>> loops;
  Uploads uploads;
  bool running = false;

  Impl(HttpOptions o, const Router* r) : options(std::move(o)), router(r), uploads(options.upload_threads) {}

  // TLS 1.2 and later only; the certificate chain and key from PEM files.
  Status LoadTls() {
    tls.emplace(net::ssl::context::tls_server);
    beast::error_code ec;
    tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                         net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1,
                     ec);
    if (!ec) tls->use_certificate_chain_file(options.tls_cert_file, ec);
    if (ec) return Status::InvalidArgument("TLS certificate " + options.tls_cert_file + ": " + ec.message());
    tls->use_private_key_file(options.tls_key_file, net::ssl::context::pem, ec);
    if (ec || SSL_CTX_check_private_key(tls->native_handle()) != 1) {
      return Status::InvalidArgument("TLS key " + options.tls_key_file + ": not the key of the certificate " +
                                     options.tls_cert_file + (ec ? " (" + ec.message() + ")" : ""));
    }
    return Status::Ok();
  }

  void Accept(Loop* loop) {
    loop->acceptor.async_accept(loop->ioc, [this, loop](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted) return;
        // The connection stays in the backlog and the next accept fails at
        // once: without a pause this thread spins, a log line per attempt.
        const Backoff::Next next = loop->accept_backoff.Failed(std::chrono::steady_clock::now());
        if (next.report) {
          spdlog::warn("http accept: {} ({} failures since the last report; retrying in {} ms)", ec.message(),
                       next.report, next.delay.count());
        }
        loop->accept_retry.expires_after(next.delay);
        loop->accept_retry.async_wait([this, loop](beast::error_code wait_ec) {
          if (!wait_ec) Accept(loop);
        });
        return;
      }
      loop->accept_backoff.Succeeded();
      // Responses go out in several writes (head, chunks): without
      // TCP_NODELAY, Nagle holds the last one for a delayed ACK (~40 ms).
      beast::error_code nd;
      socket.set_option(tcp::no_delay(true), nd);
      const std::chrono::milliseconds sync_timeout = options.read_timeout;
      PacedStream stream(std::move(socket), sync_timeout);
      if (tls) {
        std::make_shared<Session<TlsStream>>(TlsStream(std::move(stream), *tls), router, &options, &uploads)->Run();
      } else {
        std::make_shared<Session<PacedStream>>(std::move(stream), router, &options, &uploads)->Run();
      }
      Accept(loop);
    });
  }

  // Opens an acceptor on `ep` sharing the port with the others.
  static beast::error_code Listen(tcp::acceptor& a, const tcp::endpoint& ep) {
    beast::error_code ec;
    a.open(ep.protocol(), ec);
    if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) a.set_option(net::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true), ec);
    if (!ec) a.bind(ep, ec);
    if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
    return ec;
  }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Status HttpOptions::Validate() const {
  if (threads < 1) return Status::InvalidArgument("HttpOptions.threads must be >= 1");
  if (max_body_bytes == 0) return Status::InvalidArgument("HttpOptions.max_body_bytes must be > 0");
  if (upload_threads < 1) return Status::InvalidArgument("HttpOptions.upload_threads must be >= 1");
  HUB_RETURN_IF_ERROR(
      accept_retry.Validate("http.accept_retry_initial_ms", "http.accept_retry_max_ms", "http.error_report_ms"));
  beast::error_code ec;
  const net::ip::address addr = net::ip::make_address(host, ec);
  if (ec) return Status::InvalidArgument("listen address '" + host + "': " + ec.message());
  if (tls_cert_file.empty() != tls_key_file.empty()) {
    return Status::InvalidArgument("HTTPS needs both a certificate and a key (--tls-cert and --tls-key)");
  }
  if (tls_cert_file.empty() && !addr.is_loopback() && !insecure_http) {
    // Bearer tokens must not cross a network in clear.
    return Status::InvalidArgument("refusing plain HTTP on " + host +
                                   ", which is not a loopback address: bearer tokens would cross the network in "
                                   "clear; serve HTTPS (--tls-cert FILE --tls-key FILE) or pass --insecure-http");
  }
  return Status::Ok();
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpOptions& options, const Router* router) {
  HUB_RETURN_IF_ERROR(options.Validate());
  auto impl = std::make_unique<Impl>(options, router);
  beast::error_code ec;
  const net::ip::address addr = net::ip::make_address(options.host, ec);
  if (!options.tls_cert_file.empty()) HUB_RETURN_IF_ERROR(impl->LoadTls());
  tcp::endpoint ep(addr, options.port);
  for (int i = 0; i < options.threads; ++i) {
    auto loop = std::make_unique<Impl::Loop>();
    loop->accept_backoff = Backoff(options.accept_retry);
    ec = Impl::Listen(loop->acceptor, ep);
    if (ec) {
      return Status::Unavailable("listen on " + options.host + ":" + std::to_string(ep.port()) + ": " + ec.message());
    }
    ep.port(loop->acceptor.local_endpoint().port());  // port 0: the others join the one the first got
    impl->loops.push_back(std::move(loop));
  }
  for (auto& loop : impl->loops) {
    impl->Accept(loop.get());
    loop->thread = std::thread([l = loop.get()] { l->ioc.run(); });
  }
  impl->running = true;
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

uint16_t HttpServer::port() const { return impl_->loops.front()->acceptor.local_endpoint().port(); }

void HttpServer::Stop() {
  if (!impl_ || !impl_->running) return;
  for (auto& loop : impl_->loops) {
    net::post(loop->ioc, [l = loop.get()] {
      beast::error_code ec;
      l->acceptor.close(ec);
    });
    loop->ioc.stop();
  }
  for (auto& loop : impl_->loops) loop->thread.join();
  // Handlers of bodies still arriving wait for bytes: fail those bodies and
  // wait for the handlers, while the io_contexts they post their answers
  // to still exist (stopped: the answers are dropped with them).
  impl_->uploads.Stop();
  impl_->running = false;
}

HttpServer::~HttpServer() { Stop(); }

}  // namespace hub::http
