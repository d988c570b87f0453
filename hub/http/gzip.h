// gzip Content-Encoding for responses whose client sent Accept-Encoding:
// gzip (zlib's deflate with a gzip wrapper). Applied by the Router after the
// handler: a whole body is compressed at once, a streamed one piece by piece
// as it goes (memory stays bounded).
#pragma once

#include <string>

#include "hub/http/message.h"

namespace hub::http {

// True when `accept_encoding` admits gzip (q > 0).
bool AcceptsGzip(const std::string& accept_encoding);

// Compresses `resp` (its body, or its stream) and sets Content-Encoding,
// unless it is too small to be worth it (< 1 KiB) or already encoded.
void GzipResponse(HttpResponse* resp);

}  // namespace hub::http
