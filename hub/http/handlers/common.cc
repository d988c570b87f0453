#include <cctype>
#include <charconv>
#include <cstdio>
#include <optional>
#include <ctime>

#include "hub/http/handlers/artefact_match.h"
#include "hub/http/handlers/handlers.h"

namespace hub::http {

namespace {

bool UsesStructure(const sdmx::Dataflow& df, const sdmx::DataStructure& dsd) {
  return df.structure.agency == dsd.ref.agency && df.structure.id == dsd.ref.id &&
         (df.structure.version.empty() || df.structure.version == dsd.ref.version);
}

// The targets of one v2 context ("dataflow", "datastructure" or
// "provisionagreement") that `p` selects.
std::vector<V2Target> TargetsOf(const std::string& context, const ArtefactPattern& p,
                                const sdmx::StructureSet& structures) {
  std::vector<V2Target> out;
  if (context == "dataflow") {
    SelectArtefacts(structures.dataflows(), p, [&](const sdmx::Dataflow& df) { out.push_back({&df, {}}); });
  } else if (context == "datastructure") {
    // The data of a structure is that of the dataflows using it.
    SelectArtefacts(structures.data_structures(), p, [&](const sdmx::DataStructure& dsd) {
      for (const auto& [k, df] : structures.dataflows()) {
        if (UsesStructure(df, dsd)) out.push_back({&df, {}});
      }
    });
  } else {
    SelectArtefacts(structures.provision_agreements(), p, [&](const sdmx::ProvisionAgreement& pa) {
      if (const sdmx::Dataflow* df = structures.FindDataflow(pa.dataflow)) out.push_back({df, {pa.provider}});
    });
  }
  return out;
}

}  // namespace

Result<std::vector<V2Target>> ResolveV2Targets(const HttpRequest& req, const sdmx::StructureSet& structures) {
  static const std::vector<std::string> kContexts = {"dataflow", "datastructure", "provisionagreement"};
  // Parts left out of the path (/sdmx/v2/data, .../dataflow/AG/ID/) take
  // their default, '*'.
  auto part = [&](const char* name) {
    std::string v = req.Param(name);
    return v.empty() ? std::string("*") : v;
  };
  const std::string context = part("context");
  std::vector<std::string> contexts;
  for (const std::string& c : kContexts) {
    if (SegmentMatches(context, c, /*v2=*/true)) contexts.push_back(c);
  }
  if (contexts.empty() || context.empty()) {
    return Status::InvalidArgument("context '" + context + "': expected dataflow, datastructure, provisionagreement or *");
  }
  const ArtefactPattern p{part("agency"), part("id"), part("version"), /*v2=*/true};
  // Several contexts (*): the first that names anything, not all of them,
  // which would repeat a dataflow's data as its agreements'.
  for (const std::string& c : contexts) {
    std::vector<V2Target> t = TargetsOf(c, p, structures);
    if (!t.empty()) return t;
  }
  return Status::NotFound("no " + (contexts.size() > 1 ? std::string("structure") : contexts[0]) + " " + p.agency +
                          ":" + p.id + "(" + p.version + ")" +
                          (contexts.size() == 1 && contexts[0] != "dataflow" ? " with a known dataflow" : ""));
}

Result<std::vector<const sdmx::Dataflow*>> ResolveFlowRefs(const std::string& flow_ref,
                                                           const sdmx::StructureSet& structures) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t comma = flow_ref.find(',', start);
    parts.push_back(flow_ref.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (parts.size() > 3) return Status::InvalidArgument("flowRef '" + flow_ref + "' is not AGENCY,ID,VERSION");
  // "ID" is "all,ID,latest"; "*" and "~" mean latest too, "all" every version.
  if (parts.size() == 1) parts.insert(parts.begin(), "all");
  std::string version = parts.size() == 3 ? parts[2] : "latest";
  if (version.empty() || version == "~" || version == "*") version = "latest";
  if (parts[1].empty() || parts[1] == "all") {
    return Status::NotFound("no dataflow '" + parts[1] + "': a flowRef names a dataflow id (its agency and version may be 'all')");
  }
  std::vector<const sdmx::Dataflow*> flows;
  SelectArtefacts(structures.dataflows(), {parts[0], parts[1], version, /*v2=*/false},
                  [&](const sdmx::Dataflow& df) { flows.push_back(&df); });
  if (flows.empty()) return Status::NotFound("no dataflow " + flow_ref);
  return flows;
}

Result<const sdmx::Dataflow*> ResolveFlowRef(const std::string& flow_ref, const sdmx::StructureSet& structures) {
  HUB_ASSIGN_OR_RETURN(auto flows, ResolveFlowRefs(flow_ref, structures));
  if (flows.size() > 1) {
    return Status::NotImplemented("flowRef '" + flow_ref + "' names " + std::to_string(flows.size()) +
                                  " dataflows (" + flows[0]->ref.ToString() + ", " + flows[1]->ref.ToString() +
                                  "...): this resource answers for one");
  }
  return flows[0];
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

Status CheckSdmxQueryParams(const HttpRequest& req, const std::set<std::string>& supported) {
  // What SDMX REST 1.5 and 2.2 define for any resource (plus the `format`
  // that SDMX 2.1 services commonly take).
  static const std::set<std::string> kDefined = {
      "startPeriod", "endPeriod",  "updatedAfter", "firstNObservations", "lastNObservations",
      "dimensionAtObservation",    "detail",       "includeHistory",     "references",
      "mode",        "attributes", "measures",     "offset",             "limit",
      "sort",        "asOf",       "reportingYearStartDay",              "format"};
  for (const auto& [k, v] : req.query) {
    if (k == "c" || k.rfind("c[", 0) == 0) {
      if (!supported.count("c[]")) return Status::NotImplemented("query parameter '" + k + "' is not implemented yet");
      if (k.size() < 4 || k.back() != ']' || k.find(']') != k.size() - 1) {
        return Status::InvalidArgument("query parameter '" + k + "': expected c[COMPONENT_ID]=VALUES");
      }
      continue;
    }
    if (kDefined.count(k) && !supported.count(k)) {
      return Status::NotImplemented("query parameter '" + k + "' is not implemented here");
    }
    // Anything else (a browser's `_=` cache buster, a tracking tag) is not
    // SDMX's and not ours: ignored, as the web expects.
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
    case StatusCode::kAlreadyExists: code = 409; break;
    case StatusCode::kResourceExhausted: code = 413; break;
    case StatusCode::kNotImplemented: code = 501; break;
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded: code = 503; break;
    default: code = 500;
  }
  return HttpResponse::Error(code, s.message());
}

// The provider behind `Authorization: Bearer TOKEN`.
Result<connectors::Provider> Authenticate(const HandlerContext& ctx, const HttpRequest& req) {
  const std::string auth = req.Header("authorization");
  const std::string bearer = "Bearer ";
  if (auth.rfind(bearer, 0) != 0) return Status::Unauthenticated("Authorization: Bearer TOKEN required");
  return ctx.providers->Authenticate(auth.substr(bearer.size()));
}

// 401; a token that was sent but is unknown is flagged invalid_token (RFC 6750).
HttpResponse AuthError(const HttpRequest& req, const Status& s) {
  HttpResponse r = HttpResponse::Error(401, s.message());
  const bool sent = req.Header("authorization").rfind("Bearer ", 0) == 0;
  r.SetHeader("WWW-Authenticate", sent ? "Bearer error=\"invalid_token\"" : "Bearer");
  return r;
}

HttpResponse Private(HttpResponse r) {
  r.SetHeader("Cache-Control", "private, no-store");
  return r;
}

}  // namespace hub::http
