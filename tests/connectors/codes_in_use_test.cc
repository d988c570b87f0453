// A structure submission that drops codes stored data uses, against a
// running hub holding the demo feed: refused, naming each code and how many
// stored observations use it, nothing registered; with force=true
// registered, the observations served as they were, new data with the code
// refused, and the ledger listing what was forced past.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <optional>
#include <regex>

#include "hub/http/client.h"
#include "sdmx/demo_feed.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

constexpr char kAdmin[] = "codes-admin";

// The demo structure message with `code` taken out of the area codelist
// and out of the M49 hierarchy where it is a leaf; nullopt when the
// hierarchy holds it otherwise (a region).
std::optional<std::string> StructuresWithout(const std::string& code) {
  const std::string xml = sdmx::DemoStructureMessage();
  const std::regex element("<str:Code id=\"" + code + "\">.*?</str:Code>|<str:HierarchicalCode id=\"" + code +
                           "\"><str:Code><Ref [^>]*/></str:Code></str:HierarchicalCode>");
  std::string out = std::regex_replace(xml, element, "");
  if (out.size() == xml.size() || out.find("id=\"" + code + "\"") != std::string::npos) return std::nullopt;
  return out;
}

TEST(CodesInUseTest, DroppingACodeStoredDataUsesIsRefusedUnlessForced) {
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir, "", kAdmin);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  ASSERT_TRUE(testing::SubmitAndWait(**hub, testing::DemoInitial(), "initial", "demo-unsd-token").ok());
  // How many observations of the file are Kenya's (REF_AREA 404).
  int64_t kenya = 0;
  for (const auto& [k, v] : testing::ObservationValues(testing::DemoInitial(), testing::DemoStructures())) {
    kenya += k.find(".404.") != std::string::npos;
  }
  ASSERT_GT(kenya, 0);
  const std::string kenya_data = testing::Get(**hub, "/sdmx/v1/data/DF_DEMO_SDG/A...404...?format=csv").body;

  const std::optional<std::string> without_kenya = StructuresWithout("404");
  ASSERT_TRUE(without_kenya);
  const std::string& smaller = *without_kenya;
  auto refused = testing::Submit(**hub, smaller, "no-kenya", kAdmin);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 400) << refused->body;
  const boost::json::value r = boost::json::parse(refused->body);
  ASSERT_TRUE(r.as_object().contains("diagnostics")) << refused->body;
  ASSERT_EQ(r.at("diagnostics").as_array().size(), 1u) << refused->body;
  const boost::json::value& d = r.at("diagnostics").at(0);
  EXPECT_EQ(d.at("rule").as_string(), "codes-in-use");
  EXPECT_EQ(d.at("message").as_string(),
            "REF_AREA='404' is used by " + std::to_string(kenya) +
                " stored observations of SDMXHUB:DF_DEMO_SDG(1.0), and SDMXHUB:CL_AREA(1.0) would not have it "
                "(force=true registers it anyway)");
  // Nothing registered: the codelist still has Kenya.
  EXPECT_NE(testing::Get(**hub, "/sdmx/v1/codelist/SDMXHUB/CL_AREA").body.find("id=\"404\""), std::string::npos);

  // Forced: registered; Kenya's observations stay as they were.
  auto forced = testing::SubmitAndWait(**hub, smaller, "no-kenya-forced", kAdmin, "&force=true");
  ASSERT_TRUE(forced.ok()) << forced.status().ToString();
  EXPECT_TRUE(forced->marker().forced());
  ASSERT_EQ(forced->marker().diagnostics_size(), 1);
  EXPECT_EQ(forced->marker().diagnostics(0).rule(), "codes-in-use");
  EXPECT_EQ(testing::Get(**hub, "/sdmx/v1/codelist/SDMXHUB/CL_AREA").body.find("id=\"404\""), std::string::npos);
  EXPECT_EQ(testing::Get(**hub, "/sdmx/v1/data/DF_DEMO_SDG/A...404...?format=csv").body, kenya_data);
  const boost::json::value ledger =
      boost::json::parse(testing::Get(**hub, "/api/v1/submissions/no-kenya-forced").body);
  ASSERT_TRUE(ledger.as_object().contains("forced")) << ledger;
  EXPECT_TRUE(ledger.at("forced").as_bool());
  // New data with the code is refused like any unknown code.
  auto again = testing::Submit(**hub, testing::OneObservation("404", 5), "kenya-again", "demo-unsd-token");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 400);
  EXPECT_NE(again->body.find("REF_AREA='404' is not a code of SDMXHUB:CL_AREA(1.0)"), std::string::npos) << again->body;

  // One that keeps every code in use (Kenya back, Kosovo added) goes through.
  std::string more = *without_kenya;
  const size_t at = more.find("<str:Code id=\"", more.find("id=\"CL_AREA\""));
  ASSERT_NE(at, std::string::npos);
  more.insert(at, "<str:Code id=\"404\"><com:Name xml:lang=\"en\">Kenya</com:Name></str:Code>"
                  "<str:Code id=\"XK\"><com:Name xml:lang=\"en\">Kosovo</com:Name></str:Code>");
  auto extended = testing::SubmitAndWait(**hub, more, "extended", kAdmin);
  ASSERT_TRUE(extended.ok()) << extended.status().ToString();
  EXPECT_EQ(extended->marker().diagnostics_size(), 0);
  EXPECT_FALSE(extended->marker().forced());
  EXPECT_NE(testing::Get(**hub, "/sdmx/v1/codelist/SDMXHUB/CL_AREA").body.find("id=\"XK\""), std::string::npos);
}

}  // namespace
}  // namespace hub
