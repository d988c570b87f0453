// The tamper-evident trail (storage/audit_chain.h) over a real hub: a link
// per commit, each chained to the one before; `sdmx-hub verify` and the
// auditor's script in hub/README.md (curl and sha256sum only, run as
// written there) accept it, and after one byte of one stored revision (or
// of a commit record) is flipped on disk both name the first broken link.
// A replay rebuilds the same chain.
#include <gtest/gtest.h>

#include <rocksdb/db.h>

#include "hub/base/sha256.h"
#include "hub/http/client.h"
#include "hub/hub.h"
#include "storage/audit_chain.h"
#include "storage/keys.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace st = sdmxhub::state::v1;

// The ```sh block under "## Audit trail" in hub/README.md, run with bash in
// `dir` against `url`: its exit code and output.
testing::ProcessRun RunReadmeScript(const testing::TempDir& dir, const std::string& url) {
  const std::string readme = testing::ReadFileOrDie(testing::SourcePath("hub/README.md"));
  const size_t section = readme.find("## Audit trail");
  const size_t from = readme.find("```sh\n", section);
  const size_t to = readme.find("\n```\n", from);
  EXPECT_NE(section, std::string::npos);
  EXPECT_NE(to, std::string::npos);
  testing::WriteFileOrDie(dir.Sub("check_chain.sh"), readme.substr(from + 6, to - from - 5));
  return testing::RunCommand("cd " + dir.path() + " && HUB=" + url + " bash check_chain.sh 2>&1");
}

std::vector<st::ChainLink> Links(const storage::VersionedState& state) {
  std::vector<st::ChainLink> out;
  EXPECT_TRUE(storage::ScanChain(state, UINT64_MAX, [&](const st::ChainLink& l) {
                out.push_back(l);
                return true;
              }).ok());
  return out;
}

class AuditTrailTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }
  void Start() {
    auto h = testing::StartTestHub(dir_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }
  void Load() {
    ASSERT_TRUE(testing::SubmitAndWait(*hub_, testing::DemoInitial(), "unsd-1", "demo-unsd-token").ok());
    ASSERT_TRUE(testing::SubmitAndWait(*hub_, testing::DemoRevision(), "who-1", "demo-who-token").ok());
    ASSERT_TRUE(testing::SubmitAndWait(*hub_, testing::DemoNational(), "unsd-2", "demo-unsd-token").ok());
    ASSERT_TRUE(hub_->chain()->WaitLinked(hub_->state()->watermark().value, std::chrono::seconds(60)));
  }
  // The seq of the commit `submission` made.
  uint64_t SeqOf(const std::string& submission) {
    auto rec = hub_->state()->Ledger(submission);
    EXPECT_TRUE(rec.ok() && *rec);
    return rec.ok() && *rec ? (*rec)->seq() : 0;
  }
  // Stops the hub and flips the last byte of the first value of `family`
  // whose key `pick` accepts, straight in RocksDB.
  void FlipStoredByte(storage::Family family, const std::function<bool(std::string_view key)>& pick) {
    hub_->Stop();
    hub_.reset();
    storage::StateOptions o;
    o.path = dir_.Sub("data/state");
    auto state = storage::VersionedState::Open(o);
    ASSERT_TRUE(state.ok()) << state.status().ToString();
    std::unique_ptr<rocksdb::Iterator> it((*state)->db()->NewIterator(rocksdb::ReadOptions(), (*state)->cf(family)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (!pick(std::string_view(it->key().data(), it->key().size()))) continue;
      std::string v = it->value().ToString();
      ASSERT_FALSE(v.empty());
      v.back() ^= 0x01;
      ASSERT_TRUE((*state)->db()->Put(rocksdb::WriteOptions(), (*state)->cf(family), it->key(), v).ok());
      return;
    }
    FAIL() << "no value to flip";
  }

  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(AuditTrailTest, EachCommitIsLinkedToTheOneBefore) {
  Load();
  const std::vector<st::ChainLink> links = Links(*hub_->state());
  ASSERT_EQ(links.size(), hub_->state()->watermark().value) << "one link per commit";
  std::string prev = storage::kChainGenesis;
  for (const st::ChainLink& l : links) {
    EXPECT_EQ(l.prev(), prev) << l.seq();
    EXPECT_EQ(l.hash(), Sha256Hex(storage::LinkText(l))) << l.seq();
    EXPECT_EQ(l.revisions_sha256().size(), 64u);
    prev = l.hash();
  }
  // Provenance as the ledger has it.
  const st::ChainLink& who = links[SeqOf("who-1") - 1];
  EXPECT_EQ(who.submission_id(), "who-1");
  EXPECT_EQ(who.provider(), "WHO");
  EXPECT_EQ(who.dataflow(), "SDMXHUB:DF_DEMO_SDG(1.0)");
  EXPECT_EQ(who.body_sha256(), Sha256Hex(testing::DemoRevision()));
  // The revision lines name what the commit wrote: one per observation
  // revision, and hash to the link's revisions_sha256.
  auto lines = http::Fetch("GET", hub_->url() + "/api/v1/audit/chain/" + std::to_string(who.seq()) + "/revisions");
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->status, 200);
  EXPECT_EQ(Sha256Hex(lines->body), who.revisions_sha256());
  const auto counts = (*hub_->state()->Ledger("who-1"))->revisions();
  EXPECT_EQ(static_cast<int64_t>(std::count(lines->body.begin(), lines->body.end(), '\n')),
            counts.new_observations() + counts.changed_observations() + counts.deleted_observations() +
                counts.series_attributes_changed());
  // verify and the README's script agree.
  EXPECT_EQ(testing::HubBinaryOutput("verify --data-dir " + dir_.Sub("data")),
            "chain holds: " + std::to_string(links.size()) + " links, head commit " + std::to_string(links.back().seq()) +
                " " + links.back().hash());
  const testing::ProcessRun script = RunReadmeScript(dir_, hub_->url());
  EXPECT_EQ(script.exit_code, 0) << script.out;
  EXPECT_NE(script.out.find("chain holds: head commit " + std::to_string(links.back().seq()) + " " + links.back().hash()),
            std::string::npos)
      << script.out;

  // A replay of the log rebuilds the same chain.
  const std::vector<st::ChainLink> live = links;
  hub_->Stop();
  hub_.reset();
  const testing::ProcessRun replay = testing::RunHubBinary("replay --data-dir " + dir_.Sub("data") + " --into " +
                                                           dir_.Sub("replayed") + " --config " +
                                                           testing::SourcePath("configs/hub.toml"));
  ASSERT_EQ(replay.exit_code, 0);
  storage::StateOptions o;
  o.path = dir_.Sub("replayed/state");
  o.read_only = true;
  auto replayed = storage::VersionedState::Open(o);
  ASSERT_TRUE(replayed.ok());
  const std::vector<st::ChainLink> again = Links(**replayed);
  ASSERT_EQ(again.size(), live.size());
  for (size_t i = 0; i < live.size(); ++i) EXPECT_EQ(again[i].SerializeAsString(), live[i].SerializeAsString()) << i;
}

TEST_F(AuditTrailTest, AFlippedByteInAStoredRevisionBreaksTheChainThere) {
  Load();
  const uint64_t who = SeqOf("who-1");
  const std::string good_head = Links(*hub_->state())[who - 2].hash();  // the link before WHO's
  // One revision WHO's commit wrote.
  FlipStoredByte(storage::Family::kObs, [&](std::string_view key) {
    storage::ObsKeyParts parts;
    return storage::ParseObsKey(key, &parts) && parts.seq == who;
  });
  const testing::ProcessRun verify = testing::RunHubBinary("verify --data-dir " + dir_.Sub("data"));
  EXPECT_EQ(verify.exit_code, 1) << verify.out;
  EXPECT_NE(verify.out.find("broken at commit " + std::to_string(who) +
                            " (submission who-1): the revisions stored for this commit are not those it was linked with"),
            std::string::npos)
      << verify.out;
  EXPECT_NE(verify.out.find("last good link: commit " + std::to_string(who - 1) + " " + good_head), std::string::npos)
      << verify.out;
  // The auditor's script, against the hub restarted on the changed state.
  Start();
  const testing::ProcessRun script = RunReadmeScript(dir_, hub_->url());
  EXPECT_EQ(script.exit_code, 1) << script.out;
  EXPECT_NE(script.out.find("broken at commit " + std::to_string(who) + ": its revisions are not those it was linked with"),
            std::string::npos)
      << script.out;
}

TEST_F(AuditTrailTest, AFlippedByteInACommitRecordBreaksTheChainThere) {
  Load();
  const uint64_t target = SeqOf("unsd-2");
  FlipStoredByte(storage::Family::kCommits, [&](std::string_view key) { return storage::ParseSeqKey(key) == target; });
  const testing::ProcessRun verify = testing::RunHubBinary("verify --data-dir " + dir_.Sub("data"));
  EXPECT_EQ(verify.exit_code, 1) << verify.out;
  EXPECT_EQ(verify.out.rfind("broken at commit " + std::to_string(target), 0), 0u) << verify.out;
}

}  // namespace
}  // namespace hub
