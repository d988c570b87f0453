// POST /api/v1/registry: the SDMX registry interface for subscriptions. The
// body is an SDMX-ML 2.1 or 3.0 RegistryInterface message holding a
// SubmitSubscriptionsRequest, answered by a SubmitSubscriptionsResponse in
// the same version (a SubscriptionStatus per request, in order, with the
// URN a later Replace or Delete names), or a QuerySubscriptionRequest,
// answered by a QuerySubscriptionResponse listing the caller's
// subscriptions (of the Organisation named, if one is). A provider's or the admin's token
// is required: the hub POSTs notifications to the addresses a subscription
// names (hub/feed/registry_subscriptions.h).
// GET /api/v1/registry/subscriptions (same tokens): the caller's
// subscriptions (the admin: all) as JSON, with how far each was notified.
#include <boost/json.hpp>

#include "hub/base/json_text.h"
#include "hub/http/handlers/handlers.h"

namespace hub::http {
namespace {

namespace json = boost::json;

HttpResponse Submit(const HandlerContext& ctx, const HttpRequest& req) {
  auto who = Authenticate(ctx, req);
  if (!who.ok()) return AuthError(req, who.status());
  const feed::RegistrySubscriptionOptions& o = ctx.subscriptions->options();
  if (req.body.size() > o.max_request_bytes) {
    return HttpResponse::Error(413, "a registry request of " + std::to_string(req.body.size()) + " bytes is over " +
                                        std::to_string(o.max_request_bytes) + " ([subscriptions] max_request_bytes)");
  }
  sdmx::Diagnostics diags(20);
  auto request = sdmx::ReadRegistryRequest(req.body, "POST /api/v1/registry", {}, &diags);
  if (!request.ok()) return HttpResponse::Error(400, request.status().message());
  const sdmx::RegistryHeader header{"R" + request->header_id, IsoTimeMs(NowMs()), o.sender, request->sender};
  if (request->kind == sdmx::RegistryRequest::Kind::kQuerySubscriptions) {
    auto subs = ctx.subscriptions->List();
    if (!subs.ok()) return ErrorFromStatus(subs.status());
    std::vector<sdmx::ListedSubscription> listed;
    for (const auto& s : *subs) {
      // The caller's own (the admin: anyone's), of the organisation asked for.
      if (!who->admin && s.owner() != who->id) continue;
      if (!request->organisation.empty() && s.organisation() != request->organisation) continue;
      listed.push_back({feed::RegistrySubscriptions::Urn(s.id()), feed::RegistrySubscriptions::Spec(s)});
    }
    return Private(HttpResponse::Make(200, "application/xml",
                                      sdmx::WriteQuerySubscriptionResponse(request->version, header, listed)));
  }
  std::vector<sdmx::SubscriptionStatus> statuses;
  for (const sdmx::SubscriptionSpec& s : request->subscriptions) {
    statuses.push_back(ctx.subscriptions->Apply(s, request->version, who->id, who->admin));
  }
  const std::string xml = sdmx::WriteSubmitSubscriptionsResponse(request->version, header, statuses);
  return Private(HttpResponse::Make(200, "application/xml", xml));
}

HttpResponse List(const HandlerContext& ctx, const HttpRequest& req) {
  auto who = Authenticate(ctx, req);
  if (!who.ok()) return AuthError(req, who.status());
  auto subs = ctx.subscriptions->List();
  if (!subs.ok()) return ErrorFromStatus(subs.status());
  json::array out;
  for (const auto& s : *subs) {
    if (!who->admin && s.owner() != who->id) continue;
    json::array http, flows;
    for (const std::string& u : s.http()) http.push_back(json::string(u));
    for (const auto& f : s.flows()) flows.push_back(json::string(f.agency() + ":" + f.id() + "(" + f.version() + ")"));
    out.push_back(json::object{{"urn", feed::RegistrySubscriptions::Urn(s.id())},
                               {"owner", s.owner()},
                               {"subscriber_assigned_id", s.subscriber_assigned_id()},
                               {"http", std::move(http)},
                               {"all_data", s.all_data()},
                               {"dataflows", std::move(flows)},
                               {"valid_from", s.start_date()},
                               {"valid_to", s.end_date()},
                               {"sdmx_version", s.sdmx_version()},
                               {"notified_through", s.notified_through()}});
  }
  return Private(
      HttpResponse::Make(200, "application/json", JsonText(json::object{{"subscriptions", std::move(out)}}) + "\n"));
}

}  // namespace

void RegisterRegistryRoutes(Router* router, const HandlerContext& ctx) {
  router->Add("POST", "/api/v1/registry", [ctx](HttpRequest& req) { return Submit(ctx, req); });
  router->Add("GET", "/api/v1/registry/subscriptions", [ctx](HttpRequest& req) { return List(ctx, req); });
}

}  // namespace hub::http
