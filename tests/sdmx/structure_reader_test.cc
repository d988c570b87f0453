#include "sdmx/structure_reader.h"

#include <gtest/gtest.h>

#include "sdmx/demo_feed.h"
#include "testing/test_util.h"

namespace sdmx {
namespace {

using hub::testing::CorpusPath;
using hub::testing::ReadFileOrDie;
using hub::testing::SourcePath;

TEST(DemoStructureTest, HasTheMdgSdgLayout) {
  StructureSet set = hub::testing::DemoStructures();
  const Dataflow* flow = set.FindDataflowById(kDemoDataflowId);
  ASSERT_NE(flow, nullptr);
  const DataStructure* dsd = set.FindDataStructure(flow->structure);
  ASSERT_NE(dsd, nullptr);
  std::vector<std::string> dims;
  for (const auto& d : dsd->dimensions) dims.push_back(d.id);
  EXPECT_EQ(dims, (std::vector<std::string>{"FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE",
                                            "URBANISATION"}));
  EXPECT_EQ(dsd->time_dimension, "TIME_PERIOD");
  const Attribute* unit = dsd->FindAttribute("UNIT_MEASURE");
  ASSERT_NE(unit, nullptr);
  EXPECT_EQ(unit->level, AttachmentLevel::kSeries);
  EXPECT_TRUE(unit->mandatory);
  const Attribute* nature = dsd->FindAttribute("NATURE");
  ASSERT_NE(nature, nullptr);
  EXPECT_EQ(nature->level, AttachmentLevel::kObservation);
  EXPECT_FALSE(nature->mandatory);
  ASSERT_NE(dsd->FindAttribute("SOURCE_DETAIL"), nullptr);
  ASSERT_NE(dsd->FindAttribute("OBS_STATUS"), nullptr);

  const Codelist* areas = set.FindCodelist(*dsd->dimensions[3].codelist);
  ASSERT_NE(areas, nullptr);
  EXPECT_GE(areas->codes.size(), 40u);
  ASSERT_NE(areas->Find("404"), nullptr);
  EXPECT_EQ(areas->Find("404")->name, "Kenya");
  EXPECT_EQ(areas->Find("404")->parent, "14");  // Eastern Africa (UN M49)
  const Codelist* series = set.FindCodelist(*dsd->dimensions[2].codelist);
  ASSERT_NE(series, nullptr);
  EXPECT_NE(series->Find("SI_POV_DAY1"), nullptr);
  EXPECT_NE(series->Find("SH_STA_MORT"), nullptr);
  Diagnostics diags;
  EXPECT_TRUE(CheckReferences(set, &diags).ok()) << diags.ToString();
}

// configs/ holds the generator's output; this keeps them from drifting apart.
TEST(DemoStructureTest, ConfigFileIsTheGeneratorOutput) {
  EXPECT_EQ(ReadFileOrDie(SourcePath("configs/structures/demo_sdg.xml")), DemoStructureMessage())
      << "regenerate with: build/bin/sdmx-hub demo-feed --structure > configs/structures/demo_sdg.xml";
}

TEST(StructureReaderTest, ReadsTheGlobalSdgDsd) {
  StructureSet set;
  Diagnostics diags;
  ASSERT_TRUE(LoadStructures(CorpusPath("sdg/global/IAEG-SDGs_SDG_1.14/dsd.xml"), {}, &set, &diags).ok())
      << diags.ToString();
  const DataStructure* dsd = set.FindDataStructure({"IAEG-SDGs", "SDG", "1.14"});
  ASSERT_NE(dsd, nullptr);
  ASSERT_EQ(dsd->dimensions.size(), 15u);
  EXPECT_EQ(dsd->dimensions[0].id, "FREQ");
  EXPECT_EQ(dsd->dimensions[14].id, "PRODUCT");
  // SOURCES.md says 17 attributes but lists 16; the file declares 16.
  EXPECT_EQ(dsd->attributes.size(), 16u);
  const Attribute* unit = dsd->FindAttribute("UNIT_MEASURE");
  ASSERT_NE(unit, nullptr);
  EXPECT_EQ(unit->level, AttachmentLevel::kSeries);
  EXPECT_EQ(dsd->FindAttribute("OBS_STATUS")->level, AttachmentLevel::kObservation);
  const Codelist* series = set.FindCodelist(*dsd->dimensions[2].codelist);
  ASSERT_NE(series, nullptr);
  EXPECT_EQ(series->codes.size(), 783u);  // SOURCES.md: 783 SDG series codes in 1.14
  EXPECT_TRUE(CheckReferences(set, &diags).ok()) << diags.ToString();
}

// Issue 16.2: the representation's textType is what the readers' whiteSpace
// facets and the obs-value rule follow. Local TextFormats (2.1 and 3.0),
// else the concept's CoreRepresentation; none = "" (String).
TEST(StructureReaderTest, ReadsTextTypes) {
  const StructureSet demo = hub::testing::DemoStructures();
  const DataStructure* d = demo.FindDataStructure({"SDMXHUB", "DEMO_SDG", "1.0"});
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->measure_text_type, "Double");
  EXPECT_EQ(d->time_text_type, "ObservationalTimePeriod");
  EXPECT_EQ(d->FindAttribute("SOURCE_DETAIL")->text_type, "");  // no representation: a string

  StructureSet rw;
  Diagnostics diags;
  ASSERT_TRUE(LoadStructures(CorpusPath("sdg/national/RW/dsd/2024-12-31T0811Z_50768139_RWA_2024_SDG_DSD.xml"), {},
                             &rw, &diags)
                  .ok())
      << diags.ToString();
  const DataStructure* r = rw.FindDataStructure({"NISR-SDGs", "SDG", "1.3"});
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->measure_text_type, "Float");

  // IMF's DSD gives OBS_VALUE no LocalRepresentation: its concept says Decimal.
  StructureSet imf;
  ASSERT_TRUE(LoadStructures(CorpusPath("mixed/sdmx-dl/other/CoreRepresentation21.xml"), {}, &imf, &diags).ok())
      << diags.ToString();
  const DataStructure* i = imf.FindDataStructure({"IMF.APD", "DSD_APDREO", "6.0.0"});
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->measure_text_type, "Decimal");

  // SDMX-ML 3.0: attribute TextFormats; a measure with no representation
  // (and no concept scheme in the message) is a string.
  StructureSet ecb;
  ASSERT_TRUE(LoadStructures(CorpusPath("mixed/sdmx-twg-sdmx-ml/samples/Data_Structure_Definition/ECB_EXR.xml"), {},
                             &ecb, &diags)
                  .ok())
      << diags.ToString();
  ASSERT_EQ(ecb.data_structures().size(), 1u);
  const DataStructure& e = ecb.data_structures().begin()->second;
  EXPECT_EQ(e.FindAttribute("OBS_COM")->text_type, "String");
  EXPECT_EQ(e.FindAttribute("OBS_STATUS")->text_type, "");
  EXPECT_EQ(e.measure_text_type, "");
}

TEST(StructureReaderTest, MissingCodelistIsReported) {
  std::string msg = DemoStructureMessage();
  // Drop CL_SEX: the DSD now refers to a codelist nobody has.
  size_t start = msg.find("<str:Codelist id=\"CL_SEX\"");
  size_t end = msg.find("</str:Codelist>", start) + std::string("</str:Codelist>").size();
  msg.erase(start, end - start);
  StructureSet set;
  Diagnostics diags;
  ASSERT_TRUE(ReadStructureMessage(msg, "cut.xml", {}, &set, &diags).ok());
  EXPECT_FALSE(CheckReferences(set, &diags).ok());
  ASSERT_FALSE(diags.empty());
  EXPECT_NE(diags.items()[0].message.find("CL_SEX"), std::string::npos);
}

// The demo's HierarchicalCodelist: the M49 tree under World, and the SDG
// groupings over M49 regions or countries (the views' regions).
TEST(StructureReaderTest, ReadsTheDemoHierarchicalCodelist) {
  StructureSet set = hub::testing::DemoStructures();
  const HierarchicalCodelist* hcl = set.FindHierarchicalCodelist({"SDMXHUB", "HCL_AREA", "1.0"});
  ASSERT_NE(hcl, nullptr);
  ASSERT_EQ(hcl->codelists.size(), 1u);
  EXPECT_EQ(hcl->codelists[0].id, "CL_AREA");
  ASSERT_EQ(hcl->hierarchies.size(), 2u);
  const Hierarchy& m49 = hcl->hierarchies[0];
  EXPECT_EQ(m49.id, "M49");
  ASSERT_EQ(m49.codes.size(), 1u);
  EXPECT_EQ(m49.codes[0].code, "1");  // World
  // World > Africa (2) > Sub-Saharan Africa (202) > Eastern Africa (14) > Kenya (404).
  auto child = [](const HierarchicalCode& hc, const std::string& id) -> const HierarchicalCode* {
    for (const HierarchicalCode& c : hc.children) {
      if (c.code == id) return &c;
    }
    return nullptr;
  };
  const HierarchicalCode* africa = child(m49.codes[0], "2");
  ASSERT_NE(africa, nullptr);
  const HierarchicalCode* ssa = child(*africa, "202");
  ASSERT_NE(ssa, nullptr);
  const HierarchicalCode* east = child(*ssa, "14");
  ASSERT_NE(east, nullptr);
  EXPECT_NE(child(*east, "404"), nullptr);
  const Hierarchy& groupings = hcl->hierarchies[1];
  EXPECT_EQ(groupings.id, "SDG_GROUPINGS");
  const HierarchicalCode* sdg_ssa = nullptr;
  for (const HierarchicalCode& g : groupings.codes) {
    if (g.code == "SDG_SSA") sdg_ssa = &g;
  }
  ASSERT_NE(sdg_ssa, nullptr);
  ASSERT_EQ(sdg_ssa->children.size(), 1u);
  EXPECT_EQ(sdg_ssa->children[0].code, "202");
  Diagnostics diags;
  EXPECT_TRUE(CheckReferences(set, &diags).ok()) << diags.ToString();
}

TEST(StructureReaderTest, HierarchyCodeMissingFromItsCodelistIsReported) {
  std::string msg = DemoStructureMessage();
  const std::string ref = "maintainableParentID=\"CL_AREA\" maintainableParentVersion=\"1.0\" id=\"404\"";
  size_t at = msg.find(ref);
  ASSERT_NE(at, std::string::npos);
  msg.replace(at, ref.size(), "maintainableParentID=\"CL_AREA\" maintainableParentVersion=\"1.0\" id=\"99999\"");
  StructureSet set;
  Diagnostics diags;
  ASSERT_TRUE(ReadStructureMessage(msg, "hcl.xml", {}, &set, &diags).ok());
  EXPECT_FALSE(CheckReferences(set, &diags).ok());
  ASSERT_FALSE(diags.empty());
  EXPECT_NE(diags.items()[0].message.find("99999"), std::string::npos) << diags.ToString();
}

}  // namespace
}  // namespace sdmx
