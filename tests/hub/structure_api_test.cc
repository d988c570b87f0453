// Structure queries over loopback HTTP against a running hub (embedded log):
// SDMX REST 1.5 /sdmx/v1/{type}/... and 2.2 /sdmx/v2/structure/{type}/...
// What comes back is read with the hub's own structure reader.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <filesystem>
#include <set>
#include <tuple>

#include "hub/http/client.h"
#include "hub/hub.h"
#include "sdmx/structure_reader.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

class StructureApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = testing::StartTestHub(dir_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }
  void TearDown() override {
    if (hub_) hub_->Stop();
  }

  http::HttpResponse Get(const std::string& path, const std::string& accept = "") {
    std::map<std::string, std::string> headers;
    if (!accept.empty()) headers["Accept"] = accept;
    auto r = http::Fetch("GET", hub_->url() + path, "", headers);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::HttpResponse{};
  }

  static std::string ContentType(const http::HttpResponse& r) {
    const std::string* ct = r.FindHeader("Content-Type");
    return ct ? *ct : "";
  }

  static sdmx::StructureSet Parse(const http::HttpResponse& r) {
    sdmx::StructureSet set;
    sdmx::Diagnostics d;
    hub::Status s = sdmx::ReadStructureMessage(r.body, "response", {}, &set, &d);
    EXPECT_TRUE(s.ok()) << s.ToString() << d.ToString() << r.body.substr(0, 500);
    return set;
  }

  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(StructureApiTest, V1DataflowWithReferencesIsReadableSdmxMl21) {
  http::HttpResponse r = Get("/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ContentType(r), "application/vnd.sdmx.structure+xml;version=2.1");
  sdmx::StructureSet only = Parse(r);
  EXPECT_EQ(only.dataflows().size(), 1u);
  EXPECT_TRUE(only.data_structures().empty());
  EXPECT_NE(r.FindHeader("X-Hub-Watermark"), nullptr);

  // descendants: the DSD, its codelists and concept scheme; all resolve.
  sdmx::StructureSet full = Parse(Get("/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest/?references=descendants"));
  EXPECT_EQ(full.data_structures().size(), 1u);
  EXPECT_GE(full.codelists().size(), 7u);
  EXPECT_EQ(full.schemes().size(), 1u);
  sdmx::Diagnostics d;
  EXPECT_TRUE(sdmx::CheckReferences(full, &d).ok()) << d.ToString();

  // children of a codelist: none; parents: the DSD using it.
  sdmx::StructureSet parents = Parse(Get("/sdmx/v1/codelist/SDMXHUB/CL_SEX/latest?references=parents"));
  EXPECT_EQ(parents.data_structures().size(), 1u);
  EXPECT_EQ(parents.codelists().size(), 1u);
  // all/all/latest and the whole `structure` resource.
  EXPECT_GE(Parse(Get("/sdmx/v1/codelist/all/all/latest")).codelists().size(), 7u);
  sdmx::StructureSet everything = Parse(Get("/sdmx/v1/structure/all/all/all"));
  EXPECT_EQ(everything.dataflows().size(), 1u);
  EXPECT_EQ(everything.data_structures().size(), 1u);
}

TEST_F(StructureApiTest, V2ServesSdmxMl30AndSdmxJsonByAccept) {
  http::HttpResponse xml = Get("/sdmx/v2/structure/datastructure/SDMXHUB/DEMO_SDG/1.*");
  ASSERT_EQ(xml.status, 200) << xml.body;
  EXPECT_EQ(ContentType(xml), "application/vnd.sdmx.structure+xml;version=3.0.0");
  EXPECT_EQ(Parse(xml).data_structures().size(), 1u);

  http::HttpResponse json = Get("/sdmx/v2/structure/codelist/SDMXHUB/CL_SEX,CL_AGE/~",
                                "application/vnd.sdmx.structure+json;version=2.0.0");
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(ContentType(json), "application/vnd.sdmx.structure+json;version=2.0.0");
  boost::json::value doc = boost::json::parse(json.body);
  EXPECT_EQ(doc.at("data").at("codelists").as_array().size(), 2u);

  // v1 with Accept JSON: SDMX-JSON 1.0.
  http::HttpResponse v1json = Get("/sdmx/v1/dataflow/all/all/latest", "application/json");
  EXPECT_EQ(ContentType(v1json), "application/vnd.sdmx.structure+json;version=1.0.0");
  EXPECT_EQ(boost::json::parse(v1json.body).at("data").at("dataflows").as_array().size(), 1u);
}

TEST_F(StructureApiTest, StatusCodesFollowEachVersion) {
  EXPECT_EQ(Get("/sdmx/v1/codelist/NOPE").status, 404);                          // v1: no results
  EXPECT_EQ(Get("/sdmx/v2/structure/codelist/NOPE").status, 204);                // v2: no results
  EXPECT_EQ(Get("/sdmx/v2/structure/datastructure/SDMXHUB/DEMO_SDG/2.*").status, 204);
  EXPECT_EQ(Get("/sdmx/v1/notatype/all").status, 404);
  EXPECT_EQ(Get("/sdmx/v1/codelist/all", "text/html").status, 406);
  EXPECT_EQ(Get("/sdmx/v1/codelist/all?detail=stubs").status, 400);
  EXPECT_EQ(Get("/sdmx/v1/codelist/all?detail=raw").status, 400);  // raw is 2.x only
  EXPECT_EQ(Get("/sdmx/v2/structure/codelist/SDMXHUB/CL_SEX?detail=raw").body,
            Get("/sdmx/v2/structure/codelist/SDMXHUB/CL_SEX").body);  // no codelist extensions to leave unresolved
  EXPECT_EQ(Get("/sdmx/v1/codelist/all?references=cousins").status, 400);
  EXPECT_EQ(Get("/sdmx/v1/codelist/all?startPeriod=2020").status, 501);  // SDMX's, not a structure query's
  EXPECT_EQ(Get("/sdmx/v1/codelist/all?unknown=1").status, 200);  // not SDMX's: ignored
}

// SDMX REST: parentsandsiblings = the parents and what they refer to (not
// what the artefact itself refers to); all = that and the descendants; a
// structure type = the references of that type.
TEST_F(StructureApiTest, ReferencesWalkParentsSiblingsAndTypes) {
  sdmx::StructureSet dsd = Parse(Get("/sdmx/v1/datastructure/SDMXHUB/DEMO_SDG/latest?references=parentsandsiblings"));
  EXPECT_EQ(dsd.data_structures().size(), 1u);
  EXPECT_EQ(dsd.dataflows().size(), 1u);  // its parent, whose only reference is the DSD again
  EXPECT_TRUE(dsd.codelists().empty()) << "the DSD's own codelists are children, not siblings";
  EXPECT_TRUE(dsd.schemes().empty());
  // A codelist's siblings: what its DSD uses besides it.
  sdmx::StructureSet sex = Parse(Get("/sdmx/v1/codelist/SDMXHUB/CL_SEX/latest?references=parentsandsiblings"));
  EXPECT_EQ(sex.data_structures().size(), 1u);
  EXPECT_GE(sex.codelists().size(), 7u);
  EXPECT_EQ(sex.schemes().size(), 1u);  // the concept scheme
  sdmx::StructureSet sex_all = Parse(Get("/sdmx/v1/codelist/SDMXHUB/CL_SEX/latest?references=all"));
  EXPECT_EQ(sex_all.codelists().size(), sex.codelists().size());
  EXPECT_EQ(sex_all.data_structures().size(), 1u);
  // all on a dataflow: its descendants too.
  sdmx::StructureSet flow_all = Parse(Get("/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest?references=all"));
  EXPECT_EQ(flow_all.data_structures().size(), 1u);
  EXPECT_GE(flow_all.codelists().size(), 7u);
  // One type: the direct references of that type, either way.
  sdmx::StructureSet codelists = Parse(Get("/sdmx/v1/datastructure/SDMXHUB/DEMO_SDG/latest?references=codelist"));
  EXPECT_EQ(codelists.data_structures().size(), 1u);
  EXPECT_TRUE(codelists.schemes().empty());
  EXPECT_GE(codelists.codelists().size(), 7u);
  sdmx::StructureSet indirect = Parse(Get("/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest?references=codelist"));
  EXPECT_EQ(indirect.dataflows().size(), 1u);
  EXPECT_TRUE(indirect.codelists().empty()) << "a dataflow refers to codelists only through its DSD";
  EXPECT_EQ(Parse(Get("/sdmx/v1/codelist/SDMXHUB/CL_SEX/latest?references=datastructure")).data_structures().size(), 1u);
  EXPECT_TRUE(Parse(Get("/sdmx/v1/codelist/SDMXHUB/CL_SEX/latest?references=conceptscheme")).schemes().empty());
  EXPECT_TRUE(Parse(Get("/sdmx/v1/contentconstraint/SDMXHUB/CC_DEMO_SDG/latest?references=datastructure"))
                  .data_structures()
                  .empty());
  // A constraint attached to a provision agreement: each the other's relative.
  EXPECT_NE(Parse(Get("/sdmx/v1/contentconstraint/SDMXHUB/CC_PA_WHO_DF_DEMO_SDG/1.0?references=children"))
                .FindProvisionAgreement({"SDMXHUB", "PA_WHO_DF_DEMO_SDG", "1.0"}),
            nullptr);
  EXPECT_NE(Parse(Get("/sdmx/v1/provisionagreement/SDMXHUB/PA_WHO_DF_DEMO_SDG/1.0?references=parents"))
                .FindConstraint({"SDMXHUB", "CC_PA_WHO_DF_DEMO_SDG", "1.0"}),
            nullptr);
  // A type SDMX defines that the hub holds none of: nothing added, not a 400.
  http::HttpResponse sets = Get("/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest?references=transformationscheme");
  EXPECT_EQ(sets.status, 200) << sets.body;
  EXPECT_EQ(Parse(sets).size(), 1u);
}

// The hub holds the demo's hierarchical codelist (M49 regions): served as an
// SDMX 2.1 HierarchicalCodelist (1.x) and as SDMX 3.0 Hierarchies (2.x),
// the same hierarchy read back; the codelist it uses is its child.
TEST_F(StructureApiTest, HierarchicalCodelistsAreServed) {
  http::HttpResponse r = Get("/sdmx/v1/hierarchicalcodelist/SDMXHUB/HCL_AREA/latest?references=children");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  const sdmx::StructureSet got = Parse(r);
  const sdmx::StructureSet demo = testing::DemoStructures();
  ASSERT_EQ(got.hierarchical_codelists().size(), 1u);
  EXPECT_EQ(got.hierarchical_codelists().begin()->second, demo.hierarchical_codelists().begin()->second);
  EXPECT_NE(got.FindCodelist({"SDMXHUB", "CL_AREA", "1.0"}), nullptr);
  // Parents of CL_AREA include the hierarchical codelist using it.
  EXPECT_EQ(Parse(Get("/sdmx/v1/codelist/SDMXHUB/CL_AREA/latest?references=parents")).hierarchical_codelists().size(), 1u);
  http::HttpResponse v2 = Get("/sdmx/v2/structure/hierarchy/SDMXHUB/*/~");
  ASSERT_EQ(v2.status, 200) << v2.body.substr(0, 500);
  EXPECT_NE(v2.body.find("<str:Hierarchy urn=\"urn:sdmx:org.sdmx.infomodel.codelist.Hierarchy=SDMXHUB:HCL_AREA"),
            std::string::npos) << v2.body.substr(0, 800);
  EXPECT_NE(v2.body.find("<str:Code>urn:sdmx:org.sdmx.infomodel.codelist.Code=SDMXHUB:CL_AREA(1.0).404</str:Code>"),
            std::string::npos);
  http::HttpResponse json = Get("/sdmx/v1/hierarchicalcodelist/all", "application/vnd.sdmx.structure+json;version=1.0.0");
  ASSERT_EQ(json.status, 200);
  EXPECT_FALSE(boost::json::parse(json.body).at("data").at("hierarchicalCodelists").at(0).at("hierarchies").as_array().empty());
}

// The SDG goals as a category scheme and the demo dataflow filed under the
// goals of its series: served in every format, read back as held, and
// found from either side by references.
TEST_F(StructureApiTest, CategorySchemesAndCategorisationsAreServed) {
  const sdmx::StructureSet demo = testing::DemoStructures();
  const sdmx::ItemScheme* goals = demo.FindScheme(sdmx::SchemeKind::kCategoryScheme, {"SDMXHUB", "SDG_GOALS", "1.0"});
  ASSERT_NE(goals, nullptr);
  ASSERT_EQ(goals->items.size(), 17u);
  for (const char* path : {"/sdmx/v1/categoryscheme/SDMXHUB/SDG_GOALS/latest", "/sdmx/v2/structure/categoryscheme/SDMXHUB/SDG_GOALS/~"}) {
    const sdmx::StructureSet got = Parse(Get(path));
    const sdmx::ItemScheme* back = got.FindScheme(sdmx::SchemeKind::kCategoryScheme, goals->ref);
    ASSERT_NE(back, nullptr) << path;
    EXPECT_EQ(*back, *goals) << path;
  }
  for (const char* path : {"/sdmx/v1/categorisation/all/all/latest", "/sdmx/v2/structure/categorisation/*/*/*"}) {
    const sdmx::StructureSet got = Parse(Get(path));
    EXPECT_EQ(got.categorisations(), demo.categorisations()) << path;
  }
  ASSERT_EQ(demo.categorisations().size(), 7u);
  // The dataflow's parents are its categorisations; theirs the scheme and the dataflow.
  sdmx::StructureSet parents = Parse(Get("/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest?references=parentsandsiblings"));
  EXPECT_EQ(parents.categorisations().size(), 7u);
  EXPECT_NE(parents.FindScheme(sdmx::SchemeKind::kCategoryScheme, goals->ref), nullptr);
  EXPECT_EQ(Parse(Get("/sdmx/v1/categoryscheme/SDMXHUB/SDG_GOALS/latest?references=categorisation")).categorisations().size(),
            7u);
  // An item query on a category scheme.
  const sdmx::StructureSet three = Parse(Get("/sdmx/v1/categoryscheme/SDMXHUB/SDG_GOALS/latest/3"));
  const sdmx::ItemScheme* one = three.FindScheme(sdmx::SchemeKind::kCategoryScheme, goals->ref);
  ASSERT_NE(one, nullptr);
  ASSERT_EQ(one->items.size(), 1u);
  EXPECT_EQ(one->items[0].name, "Goal 3: Good health and well-being");
  // Its parents: the categorisations into that category only.
  const sdmx::StructureSet goal3 =
      Parse(Get("/sdmx/v1/categoryscheme/SDMXHUB/SDG_GOALS/latest/3?references=parentsandsiblings"));
  ASSERT_EQ(goal3.categorisations().size(), 1u);
  EXPECT_EQ(goal3.categorisations().begin()->second.category, "3");
  const boost::json::value json = boost::json::parse(
      Get("/sdmx/v1/categoryscheme/all", "application/vnd.sdmx.structure+json;version=1.0.0").body);
  EXPECT_EQ(json.at("data").at("categorySchemes").at(0).at("categories").as_array().size(), 17u);
}

// Item queries: a scheme with only the items named, marked partial.
TEST_F(StructureApiTest, ItemQueriesReturnOnlyThoseItems) {
  http::HttpResponse two = Get("/sdmx/v1/codelist/SDMXHUB/CL_SEX/latest/F+M");
  ASSERT_EQ(two.status, 200) << two.body;
  sdmx::StructureSet set = Parse(two);
  ASSERT_EQ(set.codelists().size(), 1u);
  std::vector<std::string> ids;
  for (const auto& c : set.codelists().begin()->second.codes) ids.push_back(c.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"F", "M"}));
  EXPECT_NE(two.body.find("isPartial=\"true\""), std::string::npos);
  http::HttpResponse v2 = Get("/sdmx/v2/structure/codelist/SDMXHUB/CL_SEX/~/F,_T",
                              "application/vnd.sdmx.structure+json;version=2.0.0");
  ASSERT_EQ(v2.status, 200) << v2.body;
  EXPECT_EQ(boost::json::parse(v2.body).at("data").at("codelists").at(0).at("codes").as_array().size(), 2u);
  // Concepts too; every item with '*'; no such item: no results.
  http::HttpResponse concept_item = Get("/sdmx/v1/conceptscheme/all/all/latest/REF_AREA");
  ASSERT_EQ(concept_item.status, 200) << concept_item.body;
  EXPECT_EQ(Parse(concept_item).schemes().begin()->second.items.size(), 1u);
  EXPECT_EQ(Parse(Get("/sdmx/v1/codelist/SDMXHUB/CL_SEX/latest/all")).codelists().begin()->second.codes.size(),
            Parse(Get("/sdmx/v1/codelist/SDMXHUB/CL_SEX/latest")).codelists().begin()->second.codes.size());
  EXPECT_EQ(Get("/sdmx/v1/codelist/SDMXHUB/CL_SEX/latest/NOPE").status, 404);
  // References do not bring the whole scheme back over the items asked for.
  const sdmx::StructureSet with_refs = Parse(Get("/sdmx/v1/codelist/SDMXHUB/CL_SEX/latest/F+M?references=parentsandsiblings"));
  EXPECT_EQ(with_refs.FindCodelist({"SDMXHUB", "CL_SEX", "1.0"})->codes.size(), 2u);
  EXPECT_EQ(with_refs.data_structures().size(), 1u);
  EXPECT_EQ(Get("/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest/X").status, 400);
}

// Issue 18.1: the demo's SDG metadata structure and metadataflow, and its
// data consumer and organisation unit schemes, served in every format and
// read back as held; references find the MSD's concepts and codelist, and
// the metadataflow from the MSD.
TEST_F(StructureApiTest, MetadataStructuresAndMetadataflowsAreServed) {
  const sdmx::StructureSet demo = testing::DemoStructures();
  const sdmx::MetadataStructure* msd = demo.FindMetadataStructure({"SDMXHUB", "SDG_MSD", "1.0"});
  ASSERT_NE(msd, nullptr);
  ASSERT_EQ(msd->AllAttributes().size(), 13u);
  for (const char* path : {"/sdmx/v1/metadatastructure/SDMXHUB/SDG_MSD/latest", "/sdmx/v1/metadatastructure/all"}) {
    const sdmx::StructureSet got = Parse(Get(path));
    EXPECT_EQ(got.metadata_structures(), demo.metadata_structures()) << path;
  }
  // 3.0 has no targets or report structures: the same attributes, nested.
  const sdmx::StructureSet v2 = Parse(Get("/sdmx/v2/structure/metadatastructure/SDMXHUB/SDG_MSD/~"));
  const sdmx::MetadataStructure* back = v2.FindMetadataStructure(msd->ref);
  ASSERT_NE(back, nullptr);
  ASSERT_EQ(back->reports.size(), 1u);
  EXPECT_EQ(back->reports[0].attributes, msd->reports[0].attributes);
  EXPECT_TRUE(back->targets.empty());
  // Its children: the metadata concepts and CL_UNIT_MEASURE; its parent: the metadataflow.
  const sdmx::StructureSet children = Parse(Get("/sdmx/v1/metadatastructure/SDMXHUB/SDG_MSD/latest?references=children"));
  EXPECT_NE(children.FindScheme(sdmx::SchemeKind::kConceptScheme, {"SDMXHUB", "SDG_META_CONCEPTS", "1.0"}), nullptr);
  EXPECT_NE(children.FindCodelist({"SDMXHUB", "CL_UNIT_MEASURE", "1.0"}), nullptr);
  EXPECT_EQ(children.codelists().size(), 1u);
  EXPECT_EQ(Parse(Get("/sdmx/v1/metadatastructure/all/all/latest?references=metadataflow")).metadataflows(),
            demo.metadataflows());
  EXPECT_EQ(Parse(Get("/sdmx/v1/codelist/SDMXHUB/CL_UNIT_MEASURE/latest?references=parents")).metadata_structures().size(),
            1u);
  const sdmx::StructureSet flow = Parse(Get("/sdmx/v1/metadataflow/SDMXHUB/MF_SDG_META/latest?references=children"));
  EXPECT_EQ(flow.metadataflows(), demo.metadataflows());
  EXPECT_EQ(flow.metadata_structures(), demo.metadata_structures());
  // 3.0 and SDMX-JSON 2.0 name the metadataflow's targets, taken from its 2.1 MSD.
  const std::string target = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=*:*(*)";
  const std::string v2_flow = Get("/sdmx/v2/structure/metadataflow/*/*/*").body;
  EXPECT_NE(v2_flow.find("<str:Target>" + target + "</str:Target>"), std::string::npos) << v2_flow;
  const boost::json::value json =
      boost::json::parse(Get("/sdmx/v2/structure/metadataflow/*/*/*", "application/vnd.sdmx.structure+json;version=2.0.0").body);
  EXPECT_EQ(json.at("data").at("metadataflows").at(0).at("targets").at(0).as_string(), target);
  const boost::json::value json1 = boost::json::parse(
      Get("/sdmx/v1/metadatastructure/all", "application/vnd.sdmx.structure+json;version=1.0.0").body);
  const auto& report = json1.at("data").at("metadataStructures").at(0).at("metadataStructureComponents")
                           .at("reportStructures").at(0);
  EXPECT_EQ(report.at("metadataAttributes").as_array().size(), msd->reports[0].attributes.size());
  // The organisation schemes SDMX 2.1 defines beside agencies and providers.
  for (auto [type, kind, items] : {std::tuple{"dataconsumerscheme", sdmx::SchemeKind::kDataConsumerScheme, 2u},
                                   std::tuple{"organisationunitscheme", sdmx::SchemeKind::kOrganisationUnitScheme, 4u}}) {
    for (const std::string prefix : {"/sdmx/v1/", "/sdmx/v2/structure/"}) {
      const sdmx::StructureSet got = Parse(Get(prefix + type + "/SDMXHUB"));
      ASSERT_EQ(got.schemes().size(), 1u) << prefix << type;
      EXPECT_EQ(got.schemes().begin()->second.kind, kind);
      EXPECT_EQ(got.schemes().begin()->second.items.size(), items);
    }
  }
  EXPECT_EQ(Parse(Get("/sdmx/v1/organisationscheme/SDMXHUB")).schemes().size(), 4u);
}

// Issue 18.1: the SDMX 2.1 types the hub keeps as they came (a process, a
// reporting taxonomy, a structure set and an attachment constraint in the
// demo, each about the SDG metadataflow): served in SDMX-ML 2.1 as held, as
// stubs when asked, found by references both ways, and a 406 naming
// SDMX-ML 2.1 in another format.
TEST_F(StructureApiTest, ProcessesTaxonomiesStructureSetsAndAttachmentConstraintsAreServed) {
  const sdmx::StructureSet demo = testing::DemoStructures();
  ASSERT_EQ(demo.opaque().size(), 4u);
  for (const auto& [k, a] : demo.opaque()) {
    std::string type = a.sdmx_class;
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    const std::string path = "/sdmx/v1/" + type + "/SDMXHUB/" + a.ref.id + "/1.0";
    const sdmx::StructureSet got = Parse(Get(path));
    ASSERT_EQ(got.opaque().size(), 1u) << path;
    EXPECT_EQ(got.opaque().begin()->second, a) << path;
    // Its children: what it references, the metadataflow among them.
    const sdmx::StructureSet children = Parse(Get(path + "?references=children"));
    EXPECT_NE(children.FindMetadataflow({"SDMXHUB", "MF_SDG_META", "1.0"}), nullptr) << path;
    EXPECT_EQ(children.size(), 1 + a.references.size()) << path;
    const http::HttpResponse stub = Get(path + "?detail=allstubs");
    EXPECT_NE(stub.body.find("isExternalReference=\"true\""), std::string::npos) << stub.body.substr(0, 600);
    EXPECT_EQ(stub.body.find("<str:ProcessStep"), std::string::npos);
    EXPECT_EQ(Get(path, "application/vnd.sdmx.structure+json;version=1.0.0").status, 406) << path;
  }
  // The metadataflow's parents: the four of them.
  const sdmx::StructureSet parents = Parse(Get("/sdmx/v1/metadataflow/SDMXHUB/MF_SDG_META/1.0?references=parents"));
  EXPECT_EQ(parents.opaque(), demo.opaque());
  EXPECT_EQ(Parse(Get("/sdmx/v1/conceptscheme/SDMXHUB/SDG_META_CONCEPTS/1.0?references=structureset")).opaque().size(),
            1u);
  // SDMX REST 2.x: in SDMX-ML 2.1 when asked; SDMX-ML 3.0 has no such artefacts.
  const http::HttpResponse v2 =
      Get("/sdmx/v2/structure/process/*/*/*", "application/vnd.sdmx.structure+xml;version=2.1");
  ASSERT_EQ(v2.status, 200);
  EXPECT_EQ(Parse(v2).opaque().size(), 1u);
  const http::HttpResponse v30 = Get("/sdmx/v2/structure/process/*/*/*");
  EXPECT_EQ(v30.status, 406);
  EXPECT_NE(v30.body.find("SDMX-ML 2.1"), std::string::npos) << v30.body;
}

// What SDMX REST defines and the hub does not serve is a 501 with an SDMX
// error message, never a 404; the message is in the format the client reads.
TEST_F(StructureApiTest, UnimplementedResourcesAre501WithAnSdmxErrorMessage) {
  for (const char* path : {"/sdmx/v1/transformationscheme/all", "/sdmx/v2/structure/valuelist/*/*/*",
                           "/sdmx/v1/metadata/DF_DEMO_SDG", "/sdmx/v2/metadata/metadataset/*/*/*",
                           "/sdmx/v1/schema/metadatastructure/SDMXHUB/MSD/1.0",
                           "/sdmx/v2/schema/metadataflow/SDMXHUB/MDF/1.0"}) {
    EXPECT_EQ(Get(path).status, 501) << path;
  }
  http::HttpResponse xml = Get("/sdmx/v1/transformationscheme/all", "application/vnd.sdmx.structure+xml;version=2.1");
  EXPECT_EQ(xml.status, 501);
  EXPECT_EQ(ContentType(xml), "application/xml");
  EXPECT_NE(xml.body.find("<mes:ErrorMessage code=\"501\">"), std::string::npos) << xml.body;
  EXPECT_NE(xml.body.find("transformationscheme"), std::string::npos);
  http::HttpResponse none = Get("/sdmx/v2/structure/codelist/NOPE/NOPE/1.0", "application/vnd.sdmx.structure+xml;version=3.0.0");
  EXPECT_EQ(none.status, 204);
  http::HttpResponse missing = Get("/sdmx/v1/codelist/NOPE", "application/vnd.sdmx.structure+json;version=1.0.0");
  EXPECT_EQ(missing.status, 404);
  const boost::json::value err = boost::json::parse(missing.body);
  EXPECT_EQ(err.at("errors").at(0).at("code").as_int64(), 404);
  EXPECT_FALSE(err.at("errors").at(0).at("title").as_string().empty());
}

// /schema: the XML Schema of structure-specific data for a DSD, a dataflow
// or an agreement, in the namespace the data answers name (that it is valid
// and validates them: tests/clients/xml_schema_test.sh, with xmllint).
TEST_F(StructureApiTest, SchemasNameTheNamespaceOfTheDataAndEnumerateCodes) {
  http::HttpResponse flow = Get("/sdmx/v1/schema/dataflow/SDMXHUB/DF_DEMO_SDG/1.0");
  ASSERT_EQ(flow.status, 200) << flow.body;
  EXPECT_EQ(ContentType(flow), "application/xml");
  EXPECT_NE(flow.body.find("targetNamespace=\"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow="
                           "SDMXHUB:DF_DEMO_SDG(1.0):ObsLevelDim:TIME_PERIOD\""),
            std::string::npos);
  EXPECT_NE(flow.body.find("<xs:attribute name=\"REF_AREA\" type=\"SDMXHUB_CL_AREA_1.0_Type\" use=\"required\"/>"),
            std::string::npos);
  EXPECT_NE(flow.body.find("<xs:enumeration value=\"404\"/>"), std::string::npos);
  EXPECT_NE(flow.body.find("<xs:restriction base=\"dsd:TimeSeriesDataSetType\">"), std::string::npos)
      << "time series by default";
  EXPECT_NE(flow.body.find("<xs:attribute name=\"OBS_VALUE\" type=\"xs:double\" use=\"optional\"/>"),
            std::string::npos)
      << "the demo measure is a Double";
  http::HttpResponse dsd = Get("/sdmx/v2/schema/datastructure/SDMXHUB/DEMO_SDG/~?dimensionAtObservation=REF_AREA",
                               "application/vnd.sdmx.schema+xml;version=2.1");
  ASSERT_EQ(dsd.status, 200) << dsd.body;
  EXPECT_EQ(ContentType(dsd), "application/vnd.sdmx.schema+xml;version=2.1");
  EXPECT_NE(dsd.body.find("DataStructure=SDMXHUB:DEMO_SDG(1.0):ObsLevelDim:REF_AREA\""), std::string::npos);
  EXPECT_NE(dsd.body.find("<xs:attribute name=\"TIME_PERIOD\" type=\"common:ObservationalTimePeriodType\" "
                          "use=\"required\"/>"),
            std::string::npos)
      << "the time period moves to the series";
  EXPECT_NE(dsd.body.find("<xs:restriction base=\"dsd:DataSetType\">"), std::string::npos);
  const size_t obs = dsd.body.find("<xs:complexType name=\"ObsType\">");
  ASSERT_NE(obs, std::string::npos);
  EXPECT_NE(dsd.body.find("<xs:attribute name=\"UNIT_MEASURE\"", obs), std::string::npos)
      << "attributes of the series key move to the observations of a cross-section";
  EXPECT_EQ(Get("/sdmx/v1/schema/dataflow/SDMXHUB/DF_DEMO_SDG/1.0?dimensionAtObservation=NOPE").status, 400);
  EXPECT_EQ(Get("/sdmx/v1/schema/codelist/SDMXHUB/CL_AREA/1.0").status, 400);
  EXPECT_EQ(Get("/sdmx/v1/schema/dataflow/SDMXHUB/DF_DEMO_SDG/1.0", "application/json").status, 406);
}

// How many times `needle` occurs in `hay`.
size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

TEST_F(StructureApiTest, AllStubsAreIdentificationAndNameOnly) {
  for (const char* path : {"/sdmx/v1/structure/all/all/all", "/sdmx/v2/structure/structure/*/*/*"}) {
    SCOPED_TRACE(path);
    const sdmx::StructureSet full = Parse(Get(path));
    for (const char* detail : {"allstubs", "allcompletestubs"}) {
      http::HttpResponse r = Get(std::string(path) + "?detail=" + detail);
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(Count(r.body, "<str:Code "), 0u);
      EXPECT_EQ(Count(r.body, "<str:Concept "), 0u);
      EXPECT_EQ(Count(r.body, "DataStructureComponents"), 0u);
      EXPECT_EQ(Count(r.body, "<str:Structure>"), 0u);  // the dataflow's DSD reference
      EXPECT_EQ(Count(r.body, "isExternalReference=\"true\""), full.size());
      // Complete stubs keep each description; plain stubs leave them out.
      EXPECT_EQ(Count(r.body, "<com:Description"),
                std::string(detail) == "allcompletestubs" ? Count(Get(path).body, "<com:Description") : 0u)
          << detail;
      EXPECT_NE(r.body.find(std::string("structureURL=\"") + (path[7] == '1' ? "/sdmx/v1" : "/sdmx/v2/structure") +
                            "/codelist/SDMXHUB/CL_SEX/1.0\""),
                std::string::npos);
      // Every artefact, with its identification and name.
      const sdmx::StructureSet stubs = Parse(r);
      ASSERT_EQ(stubs.codelists().size(), full.codelists().size());
      for (const auto& [k, c] : full.codelists()) {
        const sdmx::Codelist* s = stubs.FindCodelist(c.ref);
        ASSERT_NE(s, nullptr) << k;
        EXPECT_EQ(s->name, c.name);
        EXPECT_FALSE(c.codes.empty());
        EXPECT_TRUE(s->codes.empty());
      }
      ASSERT_EQ(stubs.data_structures().size(), 1u);
      EXPECT_EQ(stubs.data_structures().begin()->second.name, full.data_structures().begin()->second.name);
      EXPECT_TRUE(stubs.data_structures().begin()->second.dimensions.empty());
      ASSERT_EQ(stubs.dataflows().size(), 1u);
      EXPECT_EQ(stubs.dataflows().begin()->second.ref, full.dataflows().begin()->second.ref);
      EXPECT_TRUE(stubs.dataflows().begin()->second.structure.id.empty());
      ASSERT_EQ(stubs.schemes().size(), full.schemes().size());
      for (const auto& [k, s] : stubs.schemes()) EXPECT_TRUE(s.items.empty()) << k;
    }
  }
  // SDMX-JSON alike: no codes, marked external, a link to the full codelist.
  http::HttpResponse json = Get("/sdmx/v2/structure/codelist/SDMXHUB/CL_SEX,CL_AGE/~?detail=allstubs",
                                "application/vnd.sdmx.structure+json;version=2.0.0");
  ASSERT_EQ(json.status, 200) << json.body;
  const boost::json::value doc = boost::json::parse(json.body);
  const boost::json::array& lists = doc.at("data").at("codelists").as_array();
  ASSERT_EQ(lists.size(), 2u);
  for (const auto& c : lists) {
    EXPECT_FALSE(c.as_object().contains("codes"));
    EXPECT_TRUE(c.at("isExternalReference").as_bool());
    EXPECT_FALSE(c.at("name").as_string().empty());
    EXPECT_EQ(c.at("links").at(0).at("href").as_string(),
              "/sdmx/v2/structure/codelist/SDMXHUB/" + std::string(c.at("id").as_string()) + "/1.0");
  }
}

TEST_F(StructureApiTest, ReferenceStubsKeepWhatWasAskedForFull) {
  // children: the dataflow in full (its DSD reference), the DSD a stub.
  http::HttpResponse r = Get("/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest?references=children&detail=referencestubs");
  ASSERT_EQ(r.status, 200) << r.body;
  sdmx::StructureSet children = Parse(r);
  ASSERT_EQ(children.dataflows().size(), 1u);
  EXPECT_EQ(children.dataflows().begin()->second.structure.id, "DEMO_SDG");
  ASSERT_EQ(children.data_structures().size(), 1u);
  EXPECT_TRUE(children.data_structures().begin()->second.dimensions.empty());
  EXPECT_EQ(Count(r.body, "isExternalReference=\"true\""), 1u);

  // descendants of the DSD (v2, 3.0): the DSD in full, codelists and concepts stubs.
  for (const char* detail : {"referencestubs", "referencecompletestubs"}) {
    http::HttpResponse d = Get(std::string("/sdmx/v2/structure/datastructure/SDMXHUB/DEMO_SDG/~?references=descendants"
                                           "&detail=") + detail);
    ASSERT_EQ(d.status, 200) << d.body;
    sdmx::StructureSet set = Parse(d);
    ASSERT_EQ(set.data_structures().size(), 1u);
    EXPECT_EQ(set.data_structures().begin()->second.dimensions.size(), 7u);
    EXPECT_GE(set.codelists().size(), 7u);
    for (const auto& [k, c] : set.codelists()) {
      EXPECT_TRUE(c.codes.empty()) << k;
      EXPECT_FALSE(c.name.empty()) << k;
    }
    ASSERT_EQ(set.schemes().size(), 1u);
    EXPECT_TRUE(set.schemes().begin()->second.items.empty());
    EXPECT_EQ(Count(d.body, "isExternalReference=\"true\""), set.codelists().size() + 1);
  }

  // SDMX-JSON 1.0: the dataflow keeps its structure, the DSD has no components.
  http::HttpResponse json =
      Get("/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest?references=children&detail=referencestubs", "application/json");
  ASSERT_EQ(json.status, 200) << json.body;
  boost::json::value doc = boost::json::parse(json.body);
  const auto& flow = doc.at("data").at("dataflows").at(0).as_object();
  EXPECT_TRUE(flow.contains("structure"));
  EXPECT_FALSE(flow.contains("isExternalReference"));
  const auto& dsd = doc.at("data").at("dataStructures").at(0).as_object();
  EXPECT_FALSE(dsd.contains("dataStructureComponents"));
  EXPECT_TRUE(dsd.at("isExternalReference").as_bool());
}

TEST_F(StructureApiTest, ReferencePartialKeepsWhatTheDemoConstraintAllows) {
  // The demo DSD uses every concept of its scheme; the demo's Allowed
  // constraint limits FREQ to A and REPORTING_TYPE to G and N: only those two
  // codelists lose codes, the rest stay whole.
  const std::string path = "/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest?references=descendants";
  http::HttpResponse r = Get(path + "&detail=referencepartial");
  ASSERT_EQ(r.status, 200) << r.body;
  const sdmx::StructureSet partial = Parse(r), full = Parse(Get(path));
  auto ids = [](const sdmx::StructureSet& set, const char* id) {
    std::set<std::string> out;
    if (const sdmx::Codelist* cl = set.FindCodelist({"SDMXHUB", id, "1.0"})) {
      for (const auto& c : cl->codes) out.insert(c.id);
    }
    return out;
  };
  EXPECT_EQ(ids(partial, "CL_FREQ"), (std::set<std::string>{"A"}));
  EXPECT_EQ(ids(partial, "CL_REPORTING_TYPE"), (std::set<std::string>{"G", "N"}));
  EXPECT_EQ(ids(partial, "CL_AREA"), ids(full, "CL_AREA"));
  EXPECT_EQ(partial.schemes(), full.schemes());
  EXPECT_EQ(Count(r.body, "isPartial=\"true\""), 2u);
  // Through WHO's agreement: its constraint too, the health series only.
  const sdmx::StructureSet who = Parse(
      Get("/sdmx/v1/provisionagreement/SDMXHUB/PA_WHO_DF_DEMO_SDG/1.0?references=descendants&detail=referencepartial"));
  EXPECT_EQ(ids(who, "CL_SERIES"), (std::set<std::string>{"SH_STA_MORT", "SH_DYN_MORT", "SH_DYN_IMRT", "SH_DYN_NMRT"}));
  EXPECT_EQ(ids(who, "CL_FREQ"), (std::set<std::string>{"A"}));
}

// A hub whose demo concept scheme has a concept no DSD uses, and an Allowed
// constraint on the demo dataflow: SEX F or M, REF_AREA Kenya (404).
class StructurePartialTest : public StructureApiTest {
 protected:
  void SetUp() override {
    const std::string structures = dir_.Sub("structures");
    std::filesystem::create_directories(structures);
    std::string demo = testing::ReadFileOrDie(testing::SourcePath("configs/structures/demo_sdg.xml"));
    const std::string freq = "<str:Concept id=\"FREQ\">";
    ASSERT_NE(demo.find(freq), std::string::npos);
    demo.insert(demo.find(freq), "<str:Concept id=\"UNUSED\"><com:Name xml:lang=\"en\">Unused</com:Name></str:Concept>");
    testing::WriteFileOrDie(structures + "/demo_sdg.xml", demo);
    testing::WriteFileOrDie(structures + "/constraint.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
<mes:Header><mes:ID>C</mes:ID><mes:Test>false</mes:Test><mes:Prepared>2026-01-01T00:00:00Z</mes:Prepared><mes:Sender id="SDMXHUB"/></mes:Header>
<mes:Structures><str:Constraints>
<str:ContentConstraint id="CC_DEMO" agencyID="SDMXHUB" version="1.0" type="Allowed"><com:Name xml:lang="en">Allowed</com:Name>
<str:ConstraintAttachment><str:Dataflow><Ref agencyID="SDMXHUB" id="DF_DEMO_SDG" version="1.0"/></str:Dataflow></str:ConstraintAttachment>
<str:CubeRegion include="true"><com:KeyValue id="SEX"><com:Value>F</com:Value><com:Value>M</com:Value></com:KeyValue><com:KeyValue id="REF_AREA"><com:Value>404</com:Value></com:KeyValue></str:CubeRegion>
</str:ContentConstraint>
</str:Constraints></mes:Structures></mes:Structure>
)");
    auto h = testing::StartTestHubWithStructures(dir_, structures);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }

  static std::set<std::string> Ids(const std::vector<sdmx::Code>& items) {
    std::set<std::string> ids;
    for (const sdmx::Code& c : items) ids.insert(c.id);
    return ids;
  }
};

TEST_F(StructurePartialTest, ReferencedItemSchemesHoldOnlyWhatIsUsed) {
  for (const char* path : {"/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest", "/sdmx/v2/structure/dataflow/SDMXHUB/DF_DEMO_SDG/~"}) {
    SCOPED_TRACE(path);
    const sdmx::StructureSet full = Parse(Get(std::string(path) + "?references=descendants"));
    http::HttpResponse r = Get(std::string(path) + "?references=descendants&detail=referencepartial");
    ASSERT_EQ(r.status, 200) << r.body;
    const sdmx::StructureSet set = Parse(r);
    auto codes = [&](const sdmx::StructureSet& in, const char* id) {
      const sdmx::Codelist* cl = in.FindCodelist({"SDMXHUB", id, "1.0"});
      EXPECT_NE(cl, nullptr) << id << "\n" << r.body.substr(0, 3000);
      return cl ? Ids(cl->codes) : std::set<std::string>{};
    };
    EXPECT_EQ(codes(set, "CL_SEX"), (std::set<std::string>{"F", "M"}));
    // Kenya and the regions above it (their Parent references resolve).
    EXPECT_EQ(codes(set, "CL_AREA"), (std::set<std::string>{"404", "14", "202", "2", "1"}));
    EXPECT_EQ(codes(set, "CL_FREQ"), (std::set<std::string>{"A"}));  // the demo's own constraint
    EXPECT_EQ(codes(set, "CL_AGE"), codes(full, "CL_AGE"));         // unconstrained
    const sdmx::ItemScheme* concepts = set.FindScheme(sdmx::SchemeKind::kConceptScheme, {"SDMXHUB", "DEMO_CONCEPTS", "1.0"});
    ASSERT_NE(concepts, nullptr);
    const sdmx::ItemScheme* all = full.FindScheme(sdmx::SchemeKind::kConceptScheme, {"SDMXHUB", "DEMO_CONCEPTS", "1.0"});
    ASSERT_NE(all, nullptr);
    std::set<std::string> all_concepts = Ids(all->items);
    EXPECT_TRUE(all_concepts.erase("UNUSED"));
    EXPECT_EQ(Ids(concepts->items), all_concepts);
    EXPECT_EQ(set.data_structures(), full.data_structures());
    EXPECT_EQ(set.dataflows(), full.dataflows());
    // Marked partial: CL_SEX, CL_AREA, the concept scheme, and CL_FREQ and
    // CL_REPORTING_TYPE (the demo's own constraint).
    EXPECT_EQ(Count(r.body, "isPartial=\"true\""), 5u);
    const size_t at = r.body.find("<str:Codelist urn=\"urn:sdmx:org.sdmx.infomodel.codelist.Codelist=SDMXHUB:CL_SEX");
    ASSERT_NE(at, std::string::npos);
    EXPECT_NE(r.body.substr(at, r.body.find('>', at) - at).find("isPartial=\"true\""), std::string::npos);
  }
  // A codelist asked for itself stays whole.
  const sdmx::StructureSet sex = Parse(Get("/sdmx/v1/codelist/SDMXHUB/CL_SEX/latest?detail=referencepartial"));
  ASSERT_EQ(sex.codelists().size(), 1u);
  EXPECT_EQ(sex.codelists().begin()->second.codes.size(), 3u);
  // SDMX-JSON 2.0 alike.
  http::HttpResponse json = Get("/sdmx/v2/structure/dataflow/SDMXHUB/DF_DEMO_SDG/~?references=descendants&detail=referencepartial",
                                "application/vnd.sdmx.structure+json;version=2.0.0");
  ASSERT_EQ(json.status, 200) << json.body;
  const boost::json::value doc = boost::json::parse(json.body);
  int seen = 0;
  for (const auto& c : doc.at("data").at("codelists").as_array()) {
    if (c.at("id").as_string() == "CL_AGE") {  // no constraint limits it
      EXPECT_FALSE(c.as_object().contains("isPartial"));
    }
    if (c.at("id").as_string() != "CL_SEX") continue;
    ++seen;
    EXPECT_TRUE(c.at("isPartial").as_bool());
    EXPECT_EQ(c.at("codes").as_array().size(), 2u);
  }
  EXPECT_EQ(seen, 1);
}

}  // namespace
}  // namespace hub
