#include <cctype>
#include <charconv>
#include <cstdio>
#include <optional>
#include <ctime>

#include "hub/http/handlers/handlers.h"

namespace hub::http {

Result<V2Target> ResolveV2Target(const HttpRequest& req, const sdmx::StructureSet& structures) {
  const std::string context = req.Param("context"), agency = req.Param("agency"), id = req.Param("id");
  std::string version = req.Param("version");
  if (agency == "*" || id == "*" || agency.find(',') != std::string::npos || id.find(',') != std::string::npos) {
    return Status::NotImplemented("data queries over several dataflows are not implemented yet");
  }
  if (version == "~" || version == "*" || version == "+") version.clear();  // the latest
  if (context != "dataflow" && context != "datastructure" && context != "provisionagreement" && context != "*") {
    return Status::InvalidArgument("context '" + context + "': expected dataflow, datastructure, provisionagreement or *");
  }
  const sdmx::ArtefactRef ref{agency, id, version};
  const std::string named = agency + ":" + id + "(" + req.Param("version") + ")";
  V2Target t;
  if (context == "dataflow" || context == "*") {
    t.flow = structures.FindDataflow(ref);
    if (t.flow || context == "dataflow") {
      if (!t.flow) return Status::NotFound("no dataflow " + named);
      return t;
    }
  }
  if (context == "datastructure" || context == "*") {
    if (const sdmx::DataStructure* dsd = structures.FindDataStructure(ref)) {
      // The data of a structure is that of the dataflows using it.
      std::vector<const sdmx::Dataflow*> using_it;
      for (const auto& [k, df] : structures.dataflows()) {
        if (df.structure.agency == dsd->ref.agency && df.structure.id == dsd->ref.id &&
            (df.structure.version.empty() || df.structure.version == dsd->ref.version)) {
          using_it.push_back(&df);
        }
      }
      if (using_it.size() > 1) {
        return Status::NotImplemented("data structure " + dsd->ref.ToString() + " is used by " +
                                      std::to_string(using_it.size()) +
                                      " dataflows: data queries over several dataflows are not implemented yet");
      }
      if (using_it.empty()) return Status::NotFound("no dataflow uses data structure " + dsd->ref.ToString());
      t.flow = using_it[0];
      return t;
    }
    if (context == "datastructure") return Status::NotFound("no data structure " + named);
  }
  // A provision agreement: its dataflow, as reported by its provider.
  const sdmx::ProvisionAgreement* pa = structures.FindProvisionAgreement(ref);
  if (!pa) return Status::NotFound("no " + (context == "*" ? std::string("structure") : context) + " " + named);
  t.flow = structures.FindDataflow(pa->dataflow);
  if (!t.flow) return Status::NotFound("provision agreement " + pa->ref.ToString() + ": no dataflow " + pa->dataflow.ToString());
  t.providers = {pa->provider};
  return t;
}

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
  if (req.HasQuery("asOf")) {
    if (req.HasQuery("at")) return Status::InvalidArgument("give either at= or asOf=, not both");
    auto t = ParseIsoTimeMs(req.Query("asOf"));
    if (!t) return Status::InvalidArgument("asOf='" + req.Query("asOf") + "' is not an ISO 8601 date or date-time");
    return state.WatermarkAt(*t, now);
  }
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

std::string LoadTimeIso(const storage::VersionedState& state, Watermark w) {
  auto c = state.Commit(w.value);
  return IsoTimeMs(c.ok() && *c ? (*c)->accepted_time_ms() : 0);
}

Status CheckQueryParams(const HttpRequest& req, const std::set<std::string>& supported) {
  for (const auto& [k, v] : req.query) {
    const bool filter = k.size() > 3 && k.compare(0, 2, "c[") == 0;
    if (!supported.count(k) && !(filter && supported.count("c[]"))) {
      return Status::NotImplemented("query parameter '" + k + "' is not implemented yet");
    }
  }
  return Status::Ok();
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

}  // namespace hub::http
