// DiffPulled against a running hub's state: what of a pulled message is new
// there, and how the changes are named (the REST pull's submission id).
#include "connectors/pull_changes.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "sdmx/data_reader.h"
#include "sdmx/demo_feed.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

constexpr char kUnsdToken[] = "demo-unsd-token";
const sdmx::ArtefactRef kFlowRef{"SDMXHUB", "DF_DEMO_SDG", "1.0"};

class PullChangesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = testing::StartTestHub(dir_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
    Commit(testing::DemoInitial());
    sdmx::Diagnostics diags;
    auto reader = sdmx::DataReader::Open(initial_body_, "initial", structures_, {}, &diags);
    ASSERT_TRUE(reader.ok()) << diags.ToString();
    for (auto& r = *reader; r->Valid(); r->Next()) initial_.push_back(r->series());
    ASSERT_GE(initial_.size(), 2u);
  }

  void Commit(const std::string& body, const std::string& params = "") {
    auto rec = testing::SubmitAndWait(*hub_, body, "s" + std::to_string(++n_), kUnsdToken, params);
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  }

  connectors::PulledChanges Diff(const std::string& body, const sdmx::ArtefactRef& want = kFlowRef) {
    auto c = connectors::DiffPulled(body, "pulled", structures_, want, *hub_->state(), {});
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? *c : connectors::PulledChanges{};
  }

  // The first series of the initial data with its first observation's value set to `v`.
  sdmx::Series WithValue(const std::string& v) {
    sdmx::Series s = initial_[0];
    s.observations.resize(1);
    s.observations[0].value = v;
    return s;
  }

  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
  const sdmx::StructureSet structures_ = testing::DemoStructures();
  const std::string initial_body_ = testing::DemoInitial();
  std::vector<sdmx::Series> initial_;
  int n_ = 0;
};

TEST_F(PullChangesTest, WhatTheHubHoldsIsDroppedAttributeOrderAside) {
  const connectors::PulledChanges same = Diff(initial_body_);
  EXPECT_TRUE(same.empty());
  EXPECT_GT(same.received_observations, 0);
  // The same attributes listed in another order are the same data.
  std::vector<sdmx::Series> reordered = initial_;
  for (sdmx::Series& s : reordered) {
    for (sdmx::Observation& o : s.observations) std::reverse(o.attributes.begin(), o.attributes.end());
  }
  EXPECT_TRUE(Diff(testing::DemoMessage(reordered, sdmx::Action::kReplace)).empty());

  // One changed value and one changed observation attribute: exactly those two travel.
  std::vector<sdmx::Series> edited = {initial_[0], initial_[1]};
  edited[0].observations[0].value = "123456";
  sdmx::Observation& o = edited[1].observations.back();
  o.attributes = {{"OBS_STATUS", "E"}};
  const connectors::PulledChanges c = Diff(testing::DemoMessage(edited, sdmx::Action::kReplace));
  EXPECT_EQ(c.upserts, 2);
  ASSERT_EQ(c.datasets.size(), 1u);
  ASSERT_EQ(c.datasets[0].series.size(), 2u);
  EXPECT_EQ(c.datasets[0].series[0].observations.size(), 1u);
  EXPECT_EQ(c.datasets[0].series[0].observations[0].value, "123456");
  EXPECT_EQ(c.datasets[0].series[1].observations.size(), 1u);
  EXPECT_EQ(c.datasets[0].series[1].observations[0].period, o.period);
}

TEST_F(PullChangesTest, DeletionsOfWhatIsAbsentAreDropped) {
  sdmx::Series present = initial_[0], absent = initial_[0];
  present.attributes.clear();
  present.observations.resize(1);
  present.observations[0].value.clear();
  present.observations[0].attributes.clear();
  absent.attributes.clear();
  absent.observations = {present.observations[0]};
  absent.observations[0].period = "1990";  // never reported
  const connectors::PulledChanges c = Diff(testing::DemoMessage({present, absent}, sdmx::Action::kDelete));
  EXPECT_EQ(c.deletions, 1);
  ASSERT_EQ(c.datasets.size(), 1u);
  EXPECT_EQ(c.datasets[0].action, sdmx::Action::kDelete);
  ASSERT_EQ(c.datasets[0].series.size(), 1u);
  EXPECT_EQ(c.datasets[0].series[0].observations.size(), 1u);

  // Once deleted here, the same deletion is nothing; so is a whole series
  // that holds nothing live.
  Commit(testing::DemoMessage({present}, sdmx::Action::kDelete));
  EXPECT_TRUE(Diff(testing::DemoMessage({present}, sdmx::Action::kDelete)).empty());
  sdmx::Series whole = initial_[1];
  whole.attributes.clear();
  whole.observations.clear();
  EXPECT_EQ(Diff(testing::DemoMessage({whole}, sdmx::Action::kDelete)).deletions, 1);
  Commit(testing::DemoMessage({whole}, sdmx::Action::kDelete));
  EXPECT_TRUE(Diff(testing::DemoMessage({whole}, sdmx::Action::kDelete)).empty());
}

TEST_F(PullChangesTest, TheContentHashNamesTheChangeNotOnlyTheValues) {
  const std::string to_a = testing::DemoMessage({WithValue("111")}, sdmx::Action::kReplace);
  const connectors::PulledChanges first = Diff(to_a);
  ASSERT_FALSE(first.empty());
  // A retry on the same state: the same name (the submission is a no-op).
  EXPECT_EQ(Diff(to_a).content_sha256, first.content_sha256);
  Commit(to_a);
  EXPECT_TRUE(Diff(to_a).empty());
  // A -> B -> A: the third is a change again, and must not share the first's name.
  Commit(testing::DemoMessage({WithValue("222")}, sdmx::Action::kReplace));
  const connectors::PulledChanges again = Diff(to_a);
  ASSERT_FALSE(again.empty());
  EXPECT_NE(again.content_sha256, first.content_sha256);
}

TEST_F(PullChangesTest, AnotherDataflowOrAnUnreadableAnswerIsAnError) {
  auto other = connectors::DiffPulled(initial_body_, "pulled", structures_, {"SDMXHUB", "NOPE", "1.0"},
                                      *hub_->state(), {});
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  // The remote answered for another dataflow than asked: never submitted as the one asked for.
  sdmx::StructureSet with_other = structures_;
  const sdmx::Dataflow* demo = structures_.FindDataflow(kFlowRef);
  with_other.Add(sdmx::Dataflow{{"SDMXHUB", "DF_OTHER", "1.0"}, "Other", "", {}, demo->structure});
  auto wrong = connectors::DiffPulled(initial_body_, "pulled", with_other, {"SDMXHUB", "DF_OTHER", "1.0"},
                                      *hub_->state(), {});
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("holds SDMXHUB:DF_DEMO_SDG(1.0), not SDMXHUB:DF_OTHER(1.0)"),
            std::string::npos)
      << wrong.status().ToString();
  auto cut = connectors::DiffPulled(initial_body_.substr(0, initial_body_.size() / 2), "pulled", structures_, kFlowRef,
                                    *hub_->state(), {});
  EXPECT_EQ(cut.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(cut.status().message().find("unreadable answer"), std::string::npos) << cut.status().ToString();
}

}  // namespace
}  // namespace hub
