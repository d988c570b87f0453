// Embargoed submissions, for the only ones who may see them before their
// release: the admin and the provider that sent them (Bearer token).
//   GET /api/v1/embargoes: those held, soonest release first (a provider
//     sees its own; the admin all).
//   GET /api/v1/embargoes/{id}: one of them with its data as it will be
//     applied at the release: its series (key, action, attributes) and
//     observations, streamed.
// Nothing held is in any public read (data, views, history, the change feed,
// updatedAfter): the materialiser keeps it beside the state until the
// release (storage/materialiser.h). Answers are private: never cached.
#include <boost/json.hpp>

#include <algorithm>

#include "hub/base/json_text.h"
#include "hub/http/handlers/handlers.h"
#include "sdmx/key_pattern.h"
#include "storage/codec.h"

namespace hub::http {
namespace {

namespace json = boost::json;
namespace ev = sdmxhub::events::v1;

json::object HeldJson(const ev::SubmissionMarker& m) {
  return json::object{{"id", m.submission_id()},
                      {"provider", m.provider()},
                      {"dataflow", storage::FromProto(m.dataflow()).ToString()},
                      {"loaded_at", IsoTimeMs(m.accepted_time_ms())},
                      {"release_at", IsoTimeMs(m.release_time_ms())},
                      {"series", m.series()},
                      {"observations", m.observations()},
                      {"mode", m.snapshot() ? "snapshot" : "update"},
                      {"links", {{"data", "/api/v1/embargoes/" + m.submission_id()},
                                 {"status", "/api/v1/submissions/" + m.submission_id()}}}};
}

HttpResponse List(const HandlerContext& ctx, const HttpRequest& req) {
  if (Status s = CheckQueryParams(req, {}); !s.ok()) return ErrorFromStatus(s);
  auto who = Authenticate(ctx, req);
  if (!who.ok()) return AuthError(req, who.status());
  auto held = ctx.state->HeldEmbargoes();
  if (!held.ok()) return ErrorFromStatus(held.status());
  std::stable_sort(held->begin(), held->end(),
                   [](const auto& a, const auto& b) { return a.release_time_ms() < b.release_time_ms(); });
  json::array out;
  for (const ev::SubmissionMarker& m : *held) {
    if (who->admin || m.provider() == who->id) out.push_back(HeldJson(m));
  }
  return Private(HttpResponse::Make(200, "application/json", JsonText(json::object{{"embargoes", std::move(out)}}) + "\n"));
}

json::object FieldsJson(const google::protobuf::RepeatedPtrField<ev::Field>& fields) {
  json::object o;
  for (const ev::Field& f : fields) o[f.id()] = f.value();
  return o;
}

HttpResponse One(const HandlerContext& ctx, const HttpRequest& req) {
  if (Status s = CheckQueryParams(req, {}); !s.ok()) return ErrorFromStatus(s);
  auto who = Authenticate(ctx, req);
  if (!who.ok()) return AuthError(req, who.status());
  const std::string id = req.Param("id");
  auto held = ctx.state->HeldEmbargo(id);
  if (!held.ok()) return ErrorFromStatus(held.status());
  if (!*held) {
    return HttpResponse::Error(404, "no embargoed submission " + id + " is held (released ones are public: see " +
                                        "/api/v1/submissions/" + id + ")");
  }
  if (!who->admin && (*held)->provider() != who->id) {
    return HttpResponse::Error(403, "submission " + id + " is embargoed: only its provider and the admin may read it");
  }
  std::string head = JsonText(HeldJson(**held));
  head.pop_back();  // the closing brace: the series follow
  HttpResponse resp = Private(HttpResponse::Make(200, "application/json", ""));
  resp.stream = [state = ctx.state, id, head = std::move(head)](const HttpResponse::Write& write) -> Status {
    if (!write(head + ",\"data\":[")) return Status::Ok();
    bool first = true, open = true;
    Status bad;
    HUB_RETURN_IF_ERROR(state->ScanHeldEvents(id, [&](std::string_view encoded) {
      ev::Envelope env;
      if (!env.ParseFromArray(encoded.data(), static_cast<int>(encoded.size())) || !env.has_data()) {
        bad = Status::Corruption("submission " + id + ": a held event does not decode");
        return false;
      }
      const ev::DataEvent& d = env.data();
      json::array obs;
      for (const ev::Observation& o : d.observations()) {
        json::object x{{"period", o.period()}, {"value", o.value()}};
        if (o.attributes_size()) x["attributes"] = FieldsJson(o.attributes());
        obs.push_back(std::move(x));
      }
      json::object s{{"key", sdmx::JoinKey(std::vector<std::string>(d.key().begin(), d.key().end()))},
                     {"action", sdmx::ActionName(storage::FromProto(d.action()))},
                     {"attributes", FieldsJson(d.attributes())},
                     {"observations", std::move(obs)}};
      open = write((first ? "" : ",") + JsonText(s));
      first = false;
      return open;
    }));
    HUB_RETURN_IF_ERROR(bad);
    if (open) write("]}\n");
    return Status::Ok();
  };
  return resp;
}

}  // namespace

void RegisterEmbargoRoutes(Router* router, const HandlerContext& ctx) {
  router->Add("GET", "/api/v1/embargoes", [ctx](HttpRequest& req) { return List(ctx, req); });
  router->Add("GET", "/api/v1/embargoes/{id}", [ctx](HttpRequest& req) { return One(ctx, req); });
}

}  // namespace hub::http
