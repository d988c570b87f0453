// GET /sdmx/v1/schema/{context}/{agency}/{id}[/{version}] and
// /sdmx/v2/schema/{context}/{agency}/{id}/{version}: the XML Schema of
// structure-specific data (SDMX-ML 2.1) for a data structure, a dataflow or
// a provision agreement (sdmx/structure_schema.h). Its target namespace is
// the one the hub's own structure-specific answers for that context name.
// ?dimensionAtObservation= (default: the time dimension) as for data.
#include <set>

#include "hub/http/handlers/artefact_match.h"
#include "hub/http/handlers/handlers.h"
#include "sdmx/structure_schema.h"

namespace hub::http {
namespace {

// The latest artefact of `m` that the path selects, or null.
template <typename M>
const typename M::mapped_type* Pick(const M& m, const HttpRequest& req, bool v2) {
  ArtefactPattern p{req.Param("agency"), req.Param("id"), req.Param("version"), v2};
  if (p.version.empty()) p.version = "latest";
  const typename M::mapped_type* found = nullptr;
  SelectArtefacts(m, p, [&](const auto& a) {
    if (!found || sdmx::CompareVersions(found->ref.version, a.ref.version) < 0) found = &a;
  });
  return found;
}

HttpResponse Schema(const HandlerContext& ctx, const HttpRequest& req, bool v2) {
  static const std::set<std::string> kSupported = {"dimensionAtObservation", "explicitMeasure"};
  if (Status s = CheckSdmxQueryParams(req, kSupported); !s.ok()) return ErrorFromStatus(s);
  const std::string& context = req.Param("context");
  if (context == "metadatastructure" || context == "metadataflow") {
    return HttpResponse::Error(501, "schemas of " + context + " are not implemented: the hub serves metadata "
                                    "structures but takes no reference metadata sets");
  }
  auto all = ctx.registry->Snapshot();
  const sdmx::DataStructure* dsd = nullptr;
  std::string urn;
  if (context == "datastructure") {
    dsd = Pick(all->data_structures(), req, v2);
    if (dsd) urn = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=" + dsd->ref.ToString();
  } else if (context == "dataflow" || context == "provisionagreement") {
    const sdmx::Dataflow* flow = nullptr;
    if (context == "dataflow") {
      flow = Pick(all->dataflows(), req, v2);
      if (flow) urn = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=" + flow->ref.ToString();
    } else if (const sdmx::ProvisionAgreement* pa = Pick(all->provision_agreements(), req, v2)) {
      flow = all->FindDataflow(pa->dataflow);
      urn = "urn:sdmx:org.sdmx.infomodel.registry.ProvisionAgreement=" + pa->ref.ToString();
    }
    if (flow) dsd = all->FindDataStructure(flow->structure);
  } else {
    return HttpResponse::Error(400, "schema context '" + context +
                                        "': expected datastructure, dataflow, provisionagreement, metadatastructure "
                                        "or metadataflow");
  }
  if (!dsd) {
    return HttpResponse::Error(404, "no " + context + " " + req.Param("agency") + "/" + req.Param("id") + "/" +
                                        (req.Param("version").empty() ? "latest" : req.Param("version")) +
                                        " with a data structure the hub holds");
  }
  sdmx::StructureSchemaOptions o;
  o.dimension_at_observation = req.Query("dimensionAtObservation");
  if (o.dimension_at_observation.empty()) o.dimension_at_observation = dsd->time_dimension;
  o.target_namespace = urn + ":ObsLevelDim:" + o.dimension_at_observation;
  auto xsd = sdmx::StructureSpecificSchema(*dsd, *all, o);
  if (!xsd.ok()) return ErrorFromStatus(xsd.status());
  const std::string accept = req.Header("accept");
  const bool sdmx_type = accept.find("application/vnd.sdmx.schema+xml") != std::string::npos;
  if (!accept.empty() && !sdmx_type && accept.find("xml") == std::string::npos &&
      accept.find("*/*") == std::string::npos) {
    return HttpResponse::Error(406, "a schema is served as application/vnd.sdmx.schema+xml;version=2.1 or "
                                    "application/xml, not " + accept);
  }
  return HttpResponse::Make(200, sdmx_type ? "application/vnd.sdmx.schema+xml;version=2.1" : "application/xml",
                            std::move(*xsd));
}

}  // namespace

void RegisterSchemaRoutes(Router* router, const HandlerContext& ctx) {
  auto v1 = [ctx](HttpRequest& req) { return Schema(ctx, req, false); };
  auto v2 = [ctx](HttpRequest& req) { return Schema(ctx, req, true); };
  router->Add("GET", "/sdmx/v1/schema/{context}/{agency}/{id}", v1);
  router->Add("GET", "/sdmx/v1/schema/{context}/{agency}/{id}/{version}", v1);
  router->Add("GET", "/sdmx/v2/schema/{context}/{agency}/{id}/{version}", v2);
}

}  // namespace hub::http
