#include <charconv>
#include <ctime>

#include "hub/http/handlers/handlers.h"

namespace hub::http {

Result<const sdmx::Dataflow*> ResolveFlowRef(const std::string& flow_ref, const sdmx::StructureSet& structures) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t comma = flow_ref.find(',', start);
    parts.push_back(flow_ref.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  const sdmx::Dataflow* df = nullptr;
  if (parts.size() == 1) {
    df = structures.FindDataflowById(parts[0]);
  } else if (parts.size() <= 3) {
    std::string version = parts.size() == 3 ? parts[2] : "";
    if (version == "latest" || version == "~" || version == "*") version.clear();
    df = structures.FindDataflow({parts[0], parts[1], version});
  } else {
    return Status::InvalidArgument("flowRef '" + flow_ref + "' is not AGENCY,ID,VERSION");
  }
  if (!df) return Status::NotFound("no dataflow " + flow_ref);
  return df;
}

Result<Watermark> ReadWatermark(const HttpRequest& req, const storage::VersionedState& state) {
  const Watermark now = state.watermark();
  if (!req.HasQuery("at")) return now;
  const std::string at = req.Query("at");
  uint64_t w = 0;
  auto [p, ec] = std::from_chars(at.data(), at.data() + at.size(), w);
  if (ec != std::errc() || p != at.data() + at.size()) {
    return Status::InvalidArgument("at='" + at + "' is not a watermark (a non-negative integer)");
  }
  if (w > now.value) {
    return Status::InvalidArgument("at=" + at + " is ahead of the current watermark " + std::to_string(now.value));
  }
  return Watermark{w};
}

HttpResponse ErrorFromStatus(const Status& s) {
  int code = 500;
  switch (s.code()) {
    case StatusCode::kInvalidArgument: code = 400; break;
    case StatusCode::kUnauthenticated: code = 401; break;
    case StatusCode::kPermissionDenied: code = 403; break;
    case StatusCode::kNotFound: code = 404; break;
    case StatusCode::kResourceExhausted: code = 413; break;
    case StatusCode::kNotImplemented: code = 501; break;
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded: code = 503; break;
    default: code = 500;
  }
  return HttpResponse::Error(code, s.message());
}


std::string IsoTimeMs(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace hub::http
