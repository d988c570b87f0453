// SDMX error messages: an error answer to an SDMX REST request (/sdmx/...)
// in the format the client reads, so that an SDMX client reports the
// service's reason instead of failing to parse the body. SDMX-ML (2.1 under
// /sdmx/v1, 3.0 under /sdmx/v2) when Accept asks for XML; otherwise JSON
// with the SDMX-JSON `errors` list (and the hub's own `error` object, which
// its other endpoints answer with).
#pragma once

#include <string>

#include "hub/http/message.h"

namespace hub::http {

// Rewrites `resp` (a HttpResponse::Error for request `req`) in place.
void ToSdmxError(const HttpRequest& req, HttpResponse* resp);

}  // namespace hub::http
