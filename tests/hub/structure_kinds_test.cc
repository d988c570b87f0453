// Structure queries over loopback HTTP when one agency:id names artefacts
// of several kinds: each kind's query finds its own, the latest version of
// that kind (the demo's structure set SDMXHUB:SDG_METADATA 1.0 beside a
// process of the same id at 2.0; its DATA_PROVIDERS provider scheme beside
// a category scheme of that id at 2.0); and a constraint attached to both
// the demo dataflow and its DSD.
#include <gtest/gtest.h>

#include <filesystem>

#include "hub/http/client.h"
#include "hub/hub.h"
#include "sdmx/structure_reader.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

class StructureKindsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string structures = dir_.Sub("structures");
    std::filesystem::create_directories(structures);
    testing::WriteFileOrDie(structures + "/demo_sdg.xml",
                            testing::ReadFileOrDie(testing::SourcePath("configs/structures/demo_sdg.xml")));
    testing::WriteFileOrDie(structures + "/same_ids.xml", R"(<?xml version="1.0" encoding="UTF-8"?>
<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
<mes:Header><mes:ID>K</mes:ID><mes:Test>false</mes:Test><mes:Prepared>2026-01-01T00:00:00Z</mes:Prepared><mes:Sender id="SDMXHUB"/></mes:Header>
<mes:Structures>
<str:CategorySchemes><str:CategoryScheme id="DATA_PROVIDERS" agencyID="SDMXHUB" version="2.0"><com:Name xml:lang="en">Same id</com:Name><str:Category id="X"><com:Name xml:lang="en">X</com:Name></str:Category></str:CategoryScheme></str:CategorySchemes>
<str:Processes><str:Process id="SDG_METADATA" agencyID="SDMXHUB" version="2.0"><com:Name xml:lang="en">Same id</com:Name></str:Process></str:Processes>
<str:Constraints><str:ContentConstraint id="CC_BOTH" agencyID="SDMXHUB" version="1.0" type="Allowed"><com:Name xml:lang="en">On both</com:Name>
<str:ConstraintAttachment><str:DataStructure><Ref agencyID="SDMXHUB" id="DEMO_SDG" version="1.0"/></str:DataStructure><str:Dataflow><Ref agencyID="SDMXHUB" id="DF_DEMO_SDG" version="1.0"/></str:Dataflow></str:ConstraintAttachment>
<str:CubeRegion include="true"><com:KeyValue id="FREQ"><com:Value>A</com:Value></com:KeyValue></str:CubeRegion></str:ContentConstraint></str:Constraints>
</mes:Structures></mes:Structure>
)");
    auto h = testing::StartTestHubWithStructures(dir_, structures);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }
  void TearDown() override {
    if (hub_) hub_->Stop();
  }

  sdmx::StructureSet Get(const std::string& path) {
    auto r = http::Fetch("GET", hub_->url() + path);
    EXPECT_TRUE(r.ok());
    sdmx::StructureSet set;
    if (!r.ok()) return set;
    EXPECT_EQ(r->status, 200) << path << ": " << r->body.substr(0, 300);
    sdmx::Diagnostics d;
    EXPECT_TRUE(sdmx::ReadStructureMessage(r->body, path, {}, &set, &d).ok()) << d.ToString();
    return set;
  }

  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(StructureKindsTest, EachKindFindsItsOwnLatestVersion) {
  const sdmx::StructureSet sets = Get("/sdmx/v1/structureset/SDMXHUB/SDG_METADATA");
  ASSERT_EQ(sets.opaque().size(), 1u);
  EXPECT_EQ(sets.opaque().begin()->second.sdmx_class, "StructureSet");
  EXPECT_EQ(sets.opaque().begin()->second.ref.version, "1.0");
  const sdmx::StructureSet process = Get("/sdmx/v1/process/SDMXHUB/SDG_METADATA/latest");
  ASSERT_EQ(process.opaque().size(), 1u);
  EXPECT_EQ(process.opaque().begin()->second.sdmx_class, "Process");
  EXPECT_EQ(process.opaque().begin()->second.ref.version, "2.0");
  const sdmx::StructureSet providers = Get("/sdmx/v1/dataproviderscheme/SDMXHUB/DATA_PROVIDERS");
  ASSERT_EQ(providers.schemes().size(), 1u);
  EXPECT_EQ(providers.schemes().begin()->second.kind, sdmx::SchemeKind::kDataProviderScheme);
  const sdmx::StructureSet categories = Get("/sdmx/v1/categoryscheme/SDMXHUB/DATA_PROVIDERS");
  ASSERT_EQ(categories.schemes().size(), 1u);
  EXPECT_EQ(categories.schemes().begin()->second.kind, sdmx::SchemeKind::kCategoryScheme);
}

// references=all on the dataflow: the DSD is also a sibling (a child of the
// constraint, a parent of the dataflow), and still gives its codelists.
TEST_F(StructureKindsTest, AllOnADataflowReachesTheCodelistsOfADsdThatIsAlsoASibling) {
  const sdmx::StructureSet all = Get("/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest?references=all");
  EXPECT_NE(all.FindConstraint({"SDMXHUB", "CC_BOTH", "1.0"}), nullptr);
  EXPECT_NE(all.FindDataStructure({"SDMXHUB", "DEMO_SDG", "1.0"}), nullptr);
  EXPECT_NE(all.FindCodelist({"SDMXHUB", "CL_AREA", "1.0"}), nullptr);
  EXPECT_GE(all.codelists().size(), 10u);
}

}  // namespace
}  // namespace hub
