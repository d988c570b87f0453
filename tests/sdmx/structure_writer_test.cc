// Structures: what the reader takes from real structure messages (2.1 and
// 3.0) is what the 2.1 and 3.0 writers give back (read -> write -> read),
// and Allowed constraints are enforced by the Validator.
#include "sdmx/structure_writer.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <boost/json.hpp>

#include "sdmx/check.h"
#include "sdmx/json_structure_writer.h"
#include "sdmx/structure_reader.h"
#include "testing/test_util.h"

namespace sdmx {
namespace {

StructureSet ReadOrDie(const std::string& body, const std::string& name) {
  StructureSet set;
  Diagnostics diags;
  hub::Status s = ReadStructureMessage(body, name, {}, &set, &diags);
  EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << diags.ToString();
  return set;
}

void ExpectSameStructures(const StructureSet& a, const StructureSet& b, const std::string& what) {
  EXPECT_EQ(a.codelists(), b.codelists()) << what;
  EXPECT_EQ(a.data_structures(), b.data_structures()) << what;
  EXPECT_EQ(a.dataflows(), b.dataflows()) << what;
  EXPECT_EQ(a.schemes(), b.schemes()) << what;
  EXPECT_EQ(a.provision_agreements(), b.provision_agreements()) << what;
  EXPECT_EQ(a.constraints(), b.constraints()) << what;
}

struct StructureCase {
  const char* name;
  const char* path;  // in the corpus
  // What the file holds, at least: a test that read nothing would prove nothing.
  size_t min_codelists, min_dsds, min_schemes, min_agreements, min_constraints;
};

void PrintTo(const StructureCase& c, std::ostream* os) { *os << c.name; }

class StructureRoundTripTest : public ::testing::TestWithParam<StructureCase> {};

TEST_P(StructureRoundTripTest, ReadWriteReadKeepsEveryArtefact) {
  const StructureCase& c = GetParam();
  StructureSet original = ReadOrDie(hub::testing::ReadFileOrDie(hub::testing::CorpusPath(c.path)), c.path);
  EXPECT_GE(original.codelists().size(), c.min_codelists);
  EXPECT_GE(original.data_structures().size(), c.min_dsds);
  EXPECT_GE(original.schemes().size(), c.min_schemes);
  EXPECT_GE(original.provision_agreements().size(), c.min_agreements);
  EXPECT_GE(original.constraints().size(), c.min_constraints);
  for (StructureMlVersion v : {StructureMlVersion::k21, StructureMlVersion::k30}) {
    StructureWriteOptions o;
    o.version = v;
    const std::string written = WriteStructureMl(original, o);
    const std::string label = std::string(c.name) + (v == StructureMlVersion::k21 ? " as 2.1" : " as 3.0");
    ExpectSameStructures(original, ReadOrDie(written, label), label);
    EXPECT_NE(written.find(v == StructureMlVersion::k21 ? "/v2_1/structure" : "/v3_0/structure"), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, StructureRoundTripTest,
    ::testing::Values(
        StructureCase{"GlobalSdg1_14", "sdg/global/IAEG-SDGs_SDG_1.14/dsd.xml", 20, 1, 1, 0, 0},
        StructureCase{"GlobalSdg1_4", "sdg/global/IAEG-SDGs_SDG_1.4/SDG_DSD.xml", 10, 1, 1, 0, 0},
        // Agency and data provider schemes, a provision agreement, a DataKeySet constraint.
        StructureCase{"UnicefCme", "sdg/custodian/UNICEF/dataflow_CME_dsd.xml", 5, 1, 3, 1, 1},
        StructureCase{"EcbExrFull", "mixed/khaeru-sdmx-test-data/ECB_EXR/1/structure-full.xml", 5, 1, 1, 0, 1},
        StructureCase{"TwgEcbExr30", "mixed/sdmx-twg-sdmx-ml/samples/Data_Structure_Definition/ECB_EXR.xml", 0, 1, 0, 0,
                      0},
        StructureCase{"TwgCodelist30", "mixed/sdmx-twg-sdmx-ml/samples/Codelist/codelist.xml", 1, 0, 0, 0, 0}),
    [](const ::testing::TestParamInfo<StructureCase>& info) { return std::string(info.param.name); });

// Issue 16.6: names with tab, CR and LF read back as they were from both
// versions (escaped as character references: CR LF in text would be read
// as LF).
TEST(StructureWriterTest, LineEndsInNamesSurviveARoundTrip) {
  StructureSet set;
  Codelist cl;
  cl.ref = {"SDMXHUB", "CL_LINES", "1.0"};
  cl.name = "\ttwo\r\nlines\r";
  cl.codes.push_back({"A", "tab\there, CR\rthere", "", {}});
  set.Add(cl);
  for (StructureMlVersion v : {StructureMlVersion::k21, StructureMlVersion::k30}) {
    StructureWriteOptions o;
    o.version = v;
    ExpectSameStructures(set, ReadOrDie(WriteStructureMl(set, o), "lines"), "lines");
  }
}

// Issue 18.1: real metadata structures and metadataflows (the IAEG-SDGs
// SDG_MSD in 3.0 and 2.1, Eurostat's ESMS, ISTAT's metadataflow) read back
// from both versions: the nested attributes, with their concepts,
// representations and occurrences, whatever the version; targets and
// report structures (2.1 only) when written as 2.1 from a 2.1 file.
TEST(MetadataStructureTest, RealMsdsAndMetadataflowsReadBackFromBothVersions) {
  struct Case {
    const char* path;
    size_t msds, min_attributes, flows;
    bool v21;
  };
  const Case cases[] = {{"sdg/global/SDG_MSD/metadatastructure-0.xml", 1, 44, 0, false},
                        {"mixed/khaeru-sdmx-test-data/SGR/metadatastructure-0.xml", 1, 40, 0, true},
                        {"mixed/khaeru-sdmx-test-data/ESTAT/esms-structure.xml", 1, 20, 0, true},
                        {"mixed/khaeru-sdmx-test-data/ISTAT/metadataflow-0.xml", 0, 0, 1, true}};
  // Every report structure's attributes, in order: what 3.0 keeps of them.
  auto attributes = [](const MetadataStructure& m) {
    std::vector<MetadataAttribute> all;
    for (const ReportStructure& r : m.reports) all.insert(all.end(), r.attributes.begin(), r.attributes.end());
    return all;
  };
  for (const Case& c : cases) {
    const StructureSet original = ReadOrDie(hub::testing::ReadFileOrDie(hub::testing::CorpusPath(c.path)), c.path);
    ASSERT_EQ(original.metadata_structures().size(), c.msds) << c.path;
    ASSERT_EQ(original.metadataflows().size(), c.flows) << c.path;
    size_t count = 0;
    for (const auto& [k, m] : original.metadata_structures()) {
      count += m.AllAttributes().size();
      EXPECT_EQ(m.targets.empty(), !c.v21) << c.path;
      for (const MetadataAttribute* a : m.AllAttributes()) {
        EXPECT_TRUE(a->concept_identity) << c.path << " " << a->id;
      }
    }
    EXPECT_GE(count, c.min_attributes) << c.path;
    for (const auto& [k, f] : original.metadataflows()) EXPECT_FALSE(f.structure.id.empty()) << c.path;
    for (StructureMlVersion v : {StructureMlVersion::k21, StructureMlVersion::k30}) {
      StructureWriteOptions o;
      o.version = v;
      const std::string label = std::string(c.path) + (v == StructureMlVersion::k21 ? " as 2.1" : " as 3.0");
      const StructureSet back = ReadOrDie(WriteStructureMl(original, o), label);
      ASSERT_EQ(back.metadata_structures().size(), c.msds) << label;
      for (const auto& [k, m] : original.metadata_structures()) {
        const MetadataStructure& b = back.metadata_structures().at(k);
        EXPECT_EQ(b.name, m.name) << label;
        EXPECT_EQ(b.description, m.description) << label;
        // 3.0's one list holds each attribute once (ESMS has META_UPDATE in both its reports).
        EXPECT_EQ(attributes(b), v == StructureMlVersion::k30 ? m.MergedAttributes() : attributes(m)) << label;
        if (v == StructureMlVersion::k21 && c.v21) {
          EXPECT_EQ(b, m) << label;
        }
      }
      ASSERT_EQ(back.metadataflows().size(), c.flows) << label;
      for (const auto& [k, f] : original.metadataflows()) {
        const Metadataflow& b = back.metadataflows().at(k);
        EXPECT_EQ(b.structure, f.structure) << label;
        EXPECT_EQ(b.name, f.name) << label;
        if (v == StructureMlVersion::k21) {
          EXPECT_EQ(b, f) << label;
        }
      }
    }
  }
}

// Issue 18.1: artefact types kept as they came (OpaqueArtefact): the ECB's
// and the IMF's real structure sets are read with the maintainables they
// reference, written back in SDMX-ML 2.1 unchanged (read -> write -> read),
// and left out of SDMX-ML 3.0, which has no StructureSet.
TEST(OpaqueArtefactTest, RealStructureSetsRoundTripInSdmxMl21) {
  for (const char* path : {"mixed/khaeru-sdmx-test-data/ECB/structureset-0.xml",
                           "mixed/khaeru-sdmx-test-data/IMF/structureset-0.xml"}) {
    const StructureSet original = ReadOrDie(hub::testing::ReadFileOrDie(hub::testing::CorpusPath(path)), path);
    ASSERT_EQ(original.opaque().size(), 1u) << path;
    const OpaqueArtefact& set = original.opaque().begin()->second;
    EXPECT_EQ(set.sdmx_class, "StructureSet");
    EXPECT_FALSE(set.name.empty());
    EXPECT_NE(set.xml.find("<str:StructureSet "), std::string::npos);
    EXPECT_NE(set.xml.find("<str:CodelistMap "), std::string::npos);
    ASSERT_GE(set.references.size(), 2u) << path;
    for (const OpaqueArtefact::Reference& r : set.references) {
      EXPECT_FALSE(r.ref.agency.empty()) << path;
      EXPECT_FALSE(r.sdmx_class.empty()) << path;
    }
    StructureWriteOptions o;
    const StructureSet back = ReadOrDie(WriteStructureMl(original, o), std::string(path) + " as 2.1");
    EXPECT_EQ(back.opaque(), original.opaque()) << path;
    o.version = StructureMlVersion::k30;
    EXPECT_TRUE(ReadOrDie(WriteStructureMl(original, o), std::string(path) + " as 3.0").opaque().empty());
  }
  // The ECB's maps codelists to codelists: each named once, by its class.
  const StructureSet ecb = ReadOrDie(
      hub::testing::ReadFileOrDie(hub::testing::CorpusPath("mixed/khaeru-sdmx-test-data/ECB/structureset-0.xml")), "ecb");
  const auto& refs = ecb.opaque().begin()->second.references;
  const OpaqueArtefact::Reference currency{"Codelist", {"ECB", "CL_CURRENCY", "1.0"}};
  EXPECT_EQ(std::count(refs.begin(), refs.end(), currency), 1);
}

// Issue 18.1: annotations travel with artefacts and items: the global SDG
// DSD's codes carry hundreds (display order and the like), UNICEF's country
// codelist one of its own; both SDMX-ML versions give them back (the
// round trips above compare them) and SDMX-JSON lists them.
TEST(AnnotationTest, ArtefactsAndItemsKeepTheirAnnotations) {
  const StructureSet sdg = ReadOrDie(
      hub::testing::ReadFileOrDie(hub::testing::CorpusPath("sdg/global/IAEG-SDGs_SDG_1.14/dsd.xml")), "sdg");
  size_t on_codes = 0;
  for (const auto& [k, cl] : sdg.codelists()) {
    for (const Code& c : cl.codes) on_codes += c.annotations.size();
  }
  EXPECT_GE(on_codes, 700u);
  const StructureSet unicef = ReadOrDie(
      hub::testing::ReadFileOrDie(hub::testing::CorpusPath("sdg/custodian/UNICEF/dataflow_CME_dsd.xml")), "unicef");
  size_t on_lists = 0;
  for (const auto& [k, cl] : unicef.codelists()) on_lists += cl.annotations.size();
  EXPECT_EQ(on_lists, 1u);
  for (const StructureSet* set : {&sdg, &unicef}) {
    for (StructureMlVersion v : {StructureMlVersion::k21, StructureMlVersion::k30}) {
      StructureWriteOptions o;
      o.version = v;
      EXPECT_EQ(ReadOrDie(WriteStructureMl(*set, o), "annotations").codelists(), set->codelists());
    }
  }
  for (StructureJsonVersion v : {StructureJsonVersion::kV1, StructureJsonVersion::kV2}) {
    StructureJsonOptions o;
    o.version = v;
    const std::string json = WriteStructureJson(sdg, o);
    size_t found = 0;
    for (size_t at = json.find("\"annotations\":"); at != std::string::npos; at = json.find("\"annotations\":", at + 1)) {
      ++found;
    }
    EXPECT_GT(found, 100u);
  }
}

// Parts of messages the reader must not trip on (found in review): an MSD
// target object with an empty id (skipped, not a crash), a scheme map's
// class-less Refs (their class is the map's), an element of another
// namespace inside a kept artefact (declared again where it is written),
// and 2.1 report structures sharing an attribute (once in SDMX-ML 3.0).
TEST(StructureReaderEdgeTest, EmptyTargetIdsClasslessRefsAndForeignNamespaces) {
  const std::string head =
      R"(<?xml version="1.0" encoding="UTF-8"?><mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" )"
      R"(xmlns:s="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure" xmlns:c="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" )"
      R"(xmlns:ext="urn:example:ext"><mes:Header><mes:ID>E</mes:ID><mes:Test>false</mes:Test><mes:Prepared>2026-01-01T00:00:00Z</mes:Prepared>)"
      R"(<mes:Sender id="T"/></mes:Header><mes:Structures>)";
  const std::string concept_ref = R"(<s:ConceptIdentity><Ref agencyID="T" maintainableParentID="CS" maintainableParentVersion="1.0" id="A"/></s:ConceptIdentity>)";
  const std::string body = head +
      R"(<s:StructureSets><s:StructureSet id="SS" agencyID="T" version="1.0"><c:Name xml:lang="en">S</c:Name>)"
      R"(<s:CodelistMap id="M"><c:Name xml:lang="en">M</c:Name><s:Source><Ref agencyID="T" id="CL_A" version="1.0"/></s:Source>)"
      R"(<s:Target><Ref agencyID="T" id="CL_B" version="1.0"/></s:Target><ext:Note ext:kind="x">kept</ext:Note></s:CodelistMap>)"
      R"(</s:StructureSet></s:StructureSets><s:MetadataStructures><s:MetadataStructure id="MSD" agencyID="T" version="1.0">)"
      R"(<c:Name xml:lang="en">M</c:Name><s:MetadataStructureComponents><s:MetadataTarget id="T1">)"
      R"(<s:IdentifiableObjectTarget id="" objectType="Dataflow"><s:LocalRepresentation><s:TextFormat/></s:LocalRepresentation></s:IdentifiableObjectTarget>)"
      R"(<s:IdentifiableObjectTarget id="FLOW" objectType="Dataflow"><s:LocalRepresentation><s:TextFormat/></s:LocalRepresentation></s:IdentifiableObjectTarget>)"
      R"(</s:MetadataTarget><s:ReportStructure id="R1"><s:MetadataAttribute id="A">)" + concept_ref +
      R"(</s:MetadataAttribute><s:MetadataTarget><Ref id="T1"/></s:MetadataTarget></s:ReportStructure>)"
      R"(<s:ReportStructure id="R2"><s:MetadataAttribute id="A">)" + concept_ref +
      R"(</s:MetadataAttribute><s:MetadataTarget><Ref id="T1"/></s:MetadataTarget></s:ReportStructure>)"
      R"(</s:MetadataStructureComponents></s:MetadataStructure></s:MetadataStructures></mes:Structures></mes:Structure>)";
  const StructureSet set = ReadOrDie(body, "edges");
  const MetadataStructure* msd = set.FindMetadataStructure({"T", "MSD", "1.0"});
  ASSERT_NE(msd, nullptr);
  ASSERT_EQ(msd->targets.size(), 1u);
  ASSERT_EQ(msd->targets[0].objects.size(), 1u);
  EXPECT_EQ(msd->targets[0].objects[0].id, "FLOW");
  ASSERT_EQ(set.opaque().size(), 1u);
  const OpaqueArtefact& ss = set.opaque().begin()->second;
  const std::vector<OpaqueArtefact::Reference> want = {{"Codelist", {"T", "CL_A", "1.0"}}, {"Codelist", {"T", "CL_B", "1.0"}}};
  EXPECT_EQ(ss.references, want);
  EXPECT_NE(ss.xml.find(R"(<ext:Note xmlns:ext="urn:example:ext" ext:kind="x">kept</ext:Note>)"), std::string::npos)
      << ss.xml;
  StructureWriteOptions o;
  o.version = StructureMlVersion::k30;
  const StructureSet v30 = ReadOrDie(WriteStructureMl(set, o), "edges as 3.0");
  ASSERT_EQ(v30.metadata_structures().size(), 1u);
  EXPECT_EQ(v30.metadata_structures().begin()->second.AllAttributes().size(), 1u) << "A, once";
}

// SDMX-JSON structure: every artefact the reader found is in the message,
// with the fields SDMX-JSON clients look up.
TEST(StructureJsonTest, HoldsEveryArtefactInBothVersions) {
  StructureSet set = ReadOrDie(
      hub::testing::ReadFileOrDie(hub::testing::CorpusPath("sdg/custodian/UNICEF/dataflow_CME_dsd.xml")), "unicef");
  for (StructureJsonVersion v : {StructureJsonVersion::kV1, StructureJsonVersion::kV2}) {
    StructureJsonOptions o;
    o.version = v;
    boost::json::value doc = boost::json::parse(WriteStructureJson(set, o));
    const boost::json::object& data = doc.at("data").as_object();
    EXPECT_EQ(data.at("codelists").as_array().size(), set.codelists().size());
    EXPECT_EQ(data.at("dataStructures").as_array().size(), set.data_structures().size());
    EXPECT_EQ(data.at("dataflows").as_array().size(), set.dataflows().size());
    EXPECT_EQ(data.at("provisionAgreements").as_array().size(), 1u);
    EXPECT_EQ(data.at("dataProviderSchemes").as_array().size(), 1u);
    const char* constraints = v == StructureJsonVersion::kV1 ? "contentConstraints" : "dataConstraints";
    const auto& keys = data.at(constraints).as_array()[0].at("dataKeySets").as_array()[0].at("keys").as_array();
    EXPECT_EQ(keys.size(), 6u);
    // The CME DSD: dimensions in key order with their codelists, the time dimension last.
    const auto& dsd = data.at("dataStructures").as_array()[0].at("dataStructureComponents");
    const auto& dims = dsd.at("dimensionList").at("dimensions").as_array();
    ASSERT_EQ(dims.size(), 4u);
    EXPECT_EQ(dims[0].at("id").as_string(), "REF_AREA");
    EXPECT_EQ(dims[0].at("localRepresentation").at("enumeration").as_string(),
              "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=UNICEF:CL_COUNTRY(1.0)");
    EXPECT_EQ(dsd.at("dimensionList").at("timeDimensions").as_array()[0].at("position").as_int64(), 5);
    const auto& codes = data.at("codelists").as_array()[0].at("codes").as_array();
    EXPECT_EQ(codes.size(), set.codelists().begin()->second.codes.size());
  }
}

TEST(StructureReaderTest, ReadsUnicefProvisionAgreementAndKeySet) {
  StructureSet set = ReadOrDie(
      hub::testing::ReadFileOrDie(hub::testing::CorpusPath("sdg/custodian/UNICEF/dataflow_CME_dsd.xml")), "unicef");
  const ProvisionAgreement* pa = set.FindProvisionAgreement({"UNICEF", "CME_UNICEF_UNICEF", "1.0"});
  ASSERT_NE(pa, nullptr);
  EXPECT_EQ(pa->dataflow.ToString(), "UNICEF:CME(1.0)");
  EXPECT_EQ(pa->provider_scheme.ToString(), "UNICEF:DATA_PROVIDERS(1.0)");
  EXPECT_EQ(pa->provider, "UNICEF");
  const ItemScheme* providers = set.FindScheme(SchemeKind::kDataProviderScheme, {"UNICEF", "DATA_PROVIDERS", "1.0"});
  ASSERT_NE(providers, nullptr);
  EXPECT_NE(providers->Find("UNICEF"), nullptr);
  const ContentConstraint* c = set.FindConstraint({"UNICEF", "CME_WEATLH_QUINTILE", "1.0"});
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->cube_regions.size(), 6u);  // _T, Q1..Q5
  EXPECT_TRUE(c->AllowsKey({{"REF_AREA", "KEN"}, {"WEALTH_QUINTILE", "Q3"}}));
  EXPECT_FALSE(c->AllowsKey({{"REF_AREA", "KEN"}, {"WEALTH_QUINTILE", "Q6"}}));
  EXPECT_EQ(set.AllowedConstraintsFor(ArtefactRef{"UNICEF", "CME", "1.0"}, {"UNICEF", "DSD_CME", "1.0"}).size(), 1u);
  // Concept identity of a DSD component survives reading.
  const DataStructure* dsd = set.FindDataStructure({"UNICEF", "DSD_CME", "1.0"});
  ASSERT_NE(dsd, nullptr);
  ASSERT_TRUE(dsd->dimensions[1].concept_identity.has_value());
  EXPECT_EQ(dsd->dimensions[1].concept_identity->id, "UNICEF_INDICATOR");
}

// The demo structures plus an Allowed constraint on the demo dataflow:
// Kenya and Rwanda only, OBS_STATUS A only, 2015 to 2021.
StructureSet DemoWithConstraint(bool through_writer) {
  StructureSet set = hub::testing::DemoStructures();
  ContentConstraint c;
  c.ref = {"SDMXHUB", "CC_DEMO_AREAS", "1.0"};
  c.attachments.push_back({"Dataflow", {"SDMXHUB", "DF_DEMO_SDG", "1.0"}});
  c.cube_regions.push_back({true,
                            false,
                            {{"REF_AREA", false, {"404", "646"}, "", ""},
                             {"OBS_STATUS", true, {"A"}, "", ""},
                             {"TIME_PERIOD", false, {}, "2015", "2021"}}});
  set.Add(c);
  if (!through_writer) return set;
  StructureWriteOptions o;
  o.version = StructureMlVersion::k30;
  return ReadOrDie(WriteStructureMl(set, o), "demo+constraint");
}

// Cube regions, TimeRange included, survive SDMX-ML 2.1 and 3.0.
TEST(ConstraintTest, RegionsAndTimeRangeRoundTrip) {
  const StructureSet set = DemoWithConstraint(false);
  ASSERT_EQ(set.constraints().size(), 4u);  // the demo's three (DSD, dataflow, WHO's agreement) and this test's
  for (StructureMlVersion v : {StructureMlVersion::k21, StructureMlVersion::k30}) {
    StructureWriteOptions o;
    o.version = v;
    const StructureSet back = ReadOrDie(WriteStructureMl(set, o), "constraint");
    ASSERT_EQ(back.constraints().size(), set.constraints().size());
    for (const auto& [k, want] : set.constraints()) {
      const ContentConstraint* got = back.FindConstraint(want.ref);
      ASSERT_NE(got, nullptr) << k;
      EXPECT_EQ(got->cube_regions, want.cube_regions) << k;
    }
  }
}

TEST(ConstraintTest, ValidatorRefusesKeysAndValuesOutsideAllowedRegions) {
  for (bool through_writer : {false, true}) {
    const StructureSet set = DemoWithConstraint(through_writer);
    auto check = [&](const std::string& area, const std::string& status) {
      std::string msg = hub::testing::DemoInitial();
      // The demo's first series is Kenya (404) with OBS_STATUS="A" throughout.
      size_t at = msg.find("REF_AREA=\"404\"");
      EXPECT_NE(at, std::string::npos);
      msg.replace(at, 14, "REF_AREA=\"" + area + "\"");
      if (status != "A") {
        size_t s = msg.find("OBS_STATUS=\"A\"", at);
        msg.replace(s, 14, "OBS_STATUS=\"" + status + "\"");
      }
      Diagnostics diags;
      (void)CheckMessage(msg, "c.xml", set, {}, &diags);
      return diags;
    };
    // The demo file spans 64 areas; the constraint allows two: every other
    // area's series is reported, by this rule alone, and Kenya's is not.
    Diagnostics ok = check("404", "A");
    EXPECT_GT(ok.count(), 0u);
    for (const Diagnostic& d : ok.items()) {
      EXPECT_EQ(d.rule, "constraint") << d.ToString();
      EXPECT_EQ(d.message.find(".404."), std::string::npos) << d.ToString();
    }
    Diagnostics bad_status = check("404", "E");
    bool status_reported = false;
    for (const Diagnostic& d : bad_status.items()) {
      status_reported = status_reported || (d.rule == "constraint" && d.message.find("OBS_STATUS='E'") != std::string::npos);
    }
    EXPECT_TRUE(status_reported) << bad_status.ToString();
  }
}

}  // namespace
}  // namespace sdmx
