#include "hub/http/gzip.h"

#include <zlib.h>

#include <cctype>
#include <cstdlib>
#include <memory>

namespace hub::http {
namespace {

constexpr size_t kMinBytes = 1024;

// One gzip stream fed piece by piece.
class Gzipper {
 public:
  Gzipper() {
    // windowBits 15 + 16: a gzip header and trailer; level 6 (zlib's default).
    ok_ = deflateInit2(&z_, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~Gzipper() { deflateEnd(&z_); }
  Gzipper(const Gzipper&) = delete;
  Gzipper& operator=(const Gzipper&) = delete;

  // Compresses `in` (finishing the stream when `last`) and appends to `out`.
  bool Add(std::string_view in, bool last, std::string* out) {
    if (!ok_) return false;
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    char buf[16384];
    int rc;
    do {
      z_.next_out = reinterpret_cast<Bytef*>(buf);
      z_.avail_out = sizeof buf;
      rc = deflate(&z_, last ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) return ok_ = false;
      out->append(buf, sizeof buf - z_.avail_out);
    } while (z_.avail_out == 0 || (last && rc != Z_STREAM_END));
    return true;
  }

 private:
  z_stream z_{};
  bool ok_ = false;
};

}  // namespace

bool AcceptsGzip(const std::string& accept_encoding) {
  std::string s;
  for (char c : accept_encoding) {
    if (c != ' ') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (size_t a = 0; a <= s.size();) {
    size_t b = s.find(',', a);
    if (b == std::string::npos) b = s.size();
    std::string item = s.substr(a, b - a);
    a = b + 1;
    std::string coding = item.substr(0, item.find(';'));
    if (coding != "gzip" && coding != "*") continue;
    size_t q = item.find(";q=");
    if (q == std::string::npos || std::atof(item.c_str() + q + 3) > 0) return true;
  }
  return false;
}

void GzipResponse(HttpResponse* resp) {
  if (resp->FindHeader("Content-Encoding")) return;
  if (resp->stream) {
    // Compressed as produced: each piece the producer writes is deflated and
    // whatever zlib emits goes on; the trailer follows the last piece.
    auto inner = std::move(resp->stream);
    resp->stream = [inner = std::move(inner)](const HttpResponse::Write& write) -> Status {
      Gzipper z;
      std::string out;
      bool open = true;
      Status s = inner([&](std::string_view piece) {
        out.clear();
        if (!z.Add(piece, false, &out)) return open = false;
        return open = out.empty() || write(out);
      });
      HUB_RETURN_IF_ERROR(s);
      if (!open) return Status::Ok();
      out.clear();
      if (!z.Add({}, true, &out)) return Status::Internal("gzip failed");
      write(out);
      return Status::Ok();
    };
  } else {
    if (resp->body.size() < kMinBytes) return;
    Gzipper z;
    std::string out;
    if (!z.Add(resp->body, true, &out)) return;
    resp->body = std::move(out);
  }
  resp->SetHeader("Content-Encoding", "gzip");
}

}  // namespace hub::http
