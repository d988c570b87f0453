// The HTTP resources, one file each, and what they share. Each Register*
// adds its routes to the Router; handlers are pure functions of the request
// and the HandlerContext.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "connectors/ingest.h"
#include "hub/base/iso_time.h"
#include "connectors/providers.h"
#include "connectors/rest_pull.h"
#include "hub/feed/change_feed.h"
#include "hub/feed/registry_subscriptions.h"
#include "hub/views/view_options.h"
#include "hub/http/metrics.h"
#include "hub/http/router.h"
#include "sdmx/structure_detail.h"
#include "storage/materialiser.h"
#include "storage/state.h"
#include "storage/structure_registry.h"

namespace hub::http {

struct HandlerContext {
  storage::VersionedState* state = nullptr;
  storage::StructureRegistry* registry = nullptr;
  storage::Materialiser* materialiser = nullptr;
  connectors::Ingestor* ingestor = nullptr;
  const connectors::ProviderDirectory* providers = nullptr;
  std::string log_description;
  // A data query whose sort= cannot stream holds its selection in memory:
  // up to this many observations, else 413. [http] max_sorted_observations.
  size_t max_sorted_observations = 2'000'000;
  const views::ViewOptions* views = nullptr;  // [views]; never null once wired
  feed::ChangeFeed* changes = nullptr;
  storage::EventLog* log = nullptr;  // for /healthz and /metrics (lag)
  storage::LogTopics topics;
  HubMetrics* metrics = nullptr;
  const connectors::RestPull* rest_pull = nullptr;  // for /healthz; null when no [[pull]]
  feed::RegistrySubscriptions* subscriptions = nullptr;  // POST /api/v1/registry
};

void RegisterDataRoutes(Router* router, const HandlerContext& ctx);
void RegisterSubmissionRoutes(Router* router, const HandlerContext& ctx);
void RegisterHistoryRoutes(Router* router, const HandlerContext& ctx);
void RegisterVintageRoutes(Router* router, const HandlerContext& ctx);
void RegisterAuditRoutes(Router* router, const HandlerContext& ctx);
void RegisterEmbargoRoutes(Router* router, const HandlerContext& ctx);
void RegisterRegistryRoutes(Router* router, const HandlerContext& ctx);
void RegisterHealthRoutes(Router* router, const HandlerContext& ctx);
void RegisterStructureRoutes(Router* router, const HandlerContext& ctx);
void RegisterSchemaRoutes(Router* router, const HandlerContext& ctx);  // by RegisterStructureRoutes
void RegisterAvailabilityRoutes(Router* router, const HandlerContext& ctx);
void RegisterViewRoutes(Router* router, const HandlerContext& ctx);
void RegisterChangeRoutes(Router* router, const HandlerContext& ctx);
// GET / and /explorer/{file}: the explorer page (hub/explorer/).
void RegisterExplorerRoutes(Router* router);

// HttpOptions.admit_body: a POST /api/v1/submissions without a valid token
// is answered 401 before its body is read.
using AdmitFn = std::function<std::optional<HttpResponse>(const HttpRequest&)>;
AdmitFn AdmitSubmission(const HandlerContext& ctx);
// HttpOptions.on_body_progress: a POST /api/v1/submissions body with a
// submission id (?id= or X-Submission-Id) shows as "receiving", with its
// provider, in GET /api/v1/submissions/{id}.
using BodyProgressFn = std::function<void(const HttpRequest&, uint64_t, uint64_t, bool)>;
BodyProgressFn SubmissionBodyProgress(const HandlerContext& ctx);
// For HttpOptions.stream_body: large submissions are parsed while they
// arrive (Submission::arriving).
bool IsSubmissionUpload(const HttpRequest& head);

// --- shared by the handlers (common.cc) ---

// The dataflows an SDMX REST 1.x flowRef names: "ID" (= "all,ID,latest"),
// "AGENCY,ID" or "AGENCY,ID,VERSION"; agency "all" = any agency; version
// "latest", "~" or "*" = the highest of each agency, "all" = every version.
// NotFound when none.
Result<std::vector<const sdmx::Dataflow*>> ResolveFlowRefs(const std::string& flow_ref,
                                                           const sdmx::StructureSet& structures);
// The same where the resource answers for one dataflow: NotImplemented
// when the flowRef names several.
Result<const sdmx::Dataflow*> ResolveFlowRef(const std::string& flow_ref, const sdmx::StructureSet& structures);
// What a v2 data or availability path ({context}/{agency}/{id}/{version})
// names (artefact_match.h: '*', comma lists, latest): the selected
// dataflows; the dataflows using the selected data structures; or the
// dataflows of the selected provision agreements, each with only its
// provider's data (`providers`). Context * (or a list) takes the first of
// these that selects anything. NotFound when none does.
struct V2Target {
  const sdmx::Dataflow* flow = nullptr;
  std::vector<std::string> providers;  // empty = any provider
};
Result<std::vector<V2Target>> ResolveV2Targets(const HttpRequest& req, const sdmx::StructureSet& structures);
// The watermark a read uses: ?at=W (<= the current one), ?asOf=ISO-8601 time
// (the data as loaded then), else the current one.
Result<Watermark> ReadWatermark(const HttpRequest& req, const storage::VersionedState& state);
// A structure message holding `set`, in the representation Accept asks for
// (SDMX-ML 2.1 by default for v1, 3.0 for v2; SDMX-JSON 1.0/2.0), or 406.
// `prepared` goes in the header; `detail` says which artefacts are written
// as stubs or partial.
HttpResponse StructureResponse(const sdmx::StructureSet& set, const HttpRequest& req, bool v2,
                               const std::string& prepared, const sdmx::StructureDetail& detail = {});
// When watermark `w` was loaded, ISO 8601: the `prepared` time of messages
// read at `w`, so that the same query at the same watermark is the same bytes
// (ETag). The epoch for watermark 0.
std::string LoadTimeIso(const storage::VersionedState& state, Watermark w);
// Adds to `set` what `references` (none, children, descendants, parents,
// parentsandsiblings, all or a structure type) names among `all`; 400 on
// anything else. A structure type names the direct references of that type
// (structure queries), or with kAll those anywhere in `all`'s walk (an
// availability constraint's codelists are its dataflow's DSD's).
enum class TypeWalk { kDirect, kAll };
Status AddReferences(const sdmx::StructureSet& all, const std::string& references, sdmx::StructureSet* set,
                     TypeWalk type_walk = TypeWalk::kDirect);
// detail=referencepartial: the item schemes of `set` not in `requested` keep
// only the items the rest of `set` uses (codes: those the Allowed
// constraints, in `all`, of the returned dataflows or DSDs allow; concepts:
// those of the returned DSDs; data providers: those of the returned
// provision agreements), with their ancestors; each that lost items is
// added to `partial` too.
void TrimToUsedItems(const sdmx::StructureSet& all, const sdmx::StructureSet& requested, sdmx::StructureSet* set,
                     sdmx::StructureSet* partial);
// `items` limited to those in `keep` and their ancestors (a Parent must
// resolve); false when nothing was dropped.
bool KeepWithAncestors(const std::set<std::string>& keep, std::vector<sdmx::Code>* items);
// NotImplemented (501) naming the first query parameter not in `supported`;
// "c[]" in `supported` admits every c[COMPONENT] filter.
Status CheckQueryParams(const HttpRequest& req, const std::set<std::string>& supported);
// The same for an SDMX resource: a parameter SDMX REST defines that this
// resource lacks is a 501, a malformed c[...] a 400, and one it does not
// define at all (a browser's `_=`) is ignored.
Status CheckSdmxQueryParams(const HttpRequest& req, const std::set<std::string>& supported);
// The provider behind `Authorization: Bearer TOKEN` (Unauthenticated if
// none or unknown), and the 401 for that (WWW-Authenticate, RFC 6750).
Result<connectors::Provider> Authenticate(const HandlerContext& ctx, const HttpRequest& req);
HttpResponse AuthError(const HttpRequest& req, const Status& s);
// `r` marked never to be stored by a cache (Cache-Control: private,
// no-store): answers that depend on who asks (embargoed data, a caller's
// subscriptions).
HttpResponse Private(HttpResponse r);
// Maps a Status to an HTTP error response.
HttpResponse ErrorFromStatus(const Status& s);

}  // namespace hub::http
