// The folder-drop connector against a running hub (embedded log, RocksDB)
// and real files: settled files are submitted once and moved to done/ or
// rejected/ (with located diagnostics); half-written files are never read.
#include "connectors/folder_drop.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "hub/base/sha256.h"
#include "hub/config.h"
#include "hub/http/client.h"
#include "hub/hub.h"
#include "sdmx/demo_feed.h"
#include "storage/embedded_event_log.h"
#include "testing/folder_drop_fixture.h"
#include "testing/test_util.h"

namespace hub {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using connectors::SubmissionIdFor;

using FolderDropTest = testing::FolderDropFixture;
using testing::kSettle;
using testing::kTimeout;
using testing::Names;

TEST_F(FolderDropTest, ValidFileIsCommittedAndMovedToDone) {
  const std::string inbox = Inbox("UNSD");
  const std::string body = testing::DemoInitial();
  testing::WriteFileOrDie(inbox + "/initial.xml", body);

  ASSERT_TRUE(WaitForFile(inbox + "/done/initial.xml"));
  EXPECT_FALSE(fs::exists(inbox + "/initial.xml"));
  EXPECT_FALSE(fs::exists(inbox + "/rejected"));
  EXPECT_EQ(testing::ReadFileOrDie(inbox + "/done/initial.xml"), body);

  const sdmxhub::state::v1::LedgerRecord rec = WaitForSubmission(SubmissionIdFor("UNSD", body));
  EXPECT_GT(rec.seq(), 0u);
  EXPECT_EQ(rec.marker().provider(), "UNSD");
  EXPECT_EQ(rec.marker().body_sha256(), Sha256Hex(body));
  EXPECT_EQ(hub_->state()->watermark().value, rec.seq());
  EXPECT_EQ(Served(), testing::ObservationValues(body, structures_));
}

TEST_F(FolderDropTest, RedroppedFileIsANoOpAndNeverOverwrites) {
  const std::string inbox = Inbox("UNSD");
  const std::string body = testing::DemoInitial();
  const uint64_t w = DropCommitted(inbox, "feed.xml", body);
  ASSERT_GT(w, 0u);

  // Same name, same bytes: a duplicate, kept beside the first under a new name.
  testing::WriteFileOrDie(inbox + "/feed.xml", body);
  ASSERT_TRUE(WaitForFile(inbox + "/done/feed.1.xml"));
  EXPECT_EQ(Names(inbox + "/done"), (std::vector<std::string>{"feed.1.xml", "feed.xml"}));
  EXPECT_EQ(testing::ReadFileOrDie(inbox + "/done/feed.xml"), body);
  EXPECT_EQ(testing::ReadFileOrDie(inbox + "/done/feed.1.xml"), body);
  EXPECT_EQ(hub_->state()->watermark().value, w);
}

TEST_F(FolderDropTest, MalformedFileIsRejectedWithLocatedDiagnostics) {
  const std::string inbox = Inbox("UNSD");
  // Some state first, so that "nothing applied" is a comparison.
  const uint64_t w = DropCommitted(inbox, "good.xml", testing::DemoRevision());
  ASSERT_GT(w, 0u);
  const auto before = Served();
  ASSERT_FALSE(before.empty());

  // The initial file with its 3rd series lacking AGE: wrong key length, at that series' line.
  std::string bad = testing::DemoInitial();
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) pos = bad.find("<Series ", pos + 1);
  ASSERT_NE(pos, std::string::npos);
  const size_t age = bad.find(" AGE=\"", pos);
  ASSERT_NE(age, std::string::npos);
  bad.erase(age, bad.find('"', age + 6) + 1 - age);
  const int line = 1 + static_cast<int>(std::count(bad.begin(), bad.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
  testing::WriteFileOrDie(inbox + "/bad.xml", bad);

  ASSERT_TRUE(WaitForFile(inbox + "/rejected/bad.xml"));
  const std::string diag_path = inbox + "/rejected/bad.xml.diagnostics.txt";
  ASSERT_TRUE(fs::exists(diag_path));  // written before the move
  EXPECT_FALSE(fs::exists(inbox + "/bad.xml"));
  EXPECT_EQ(testing::ReadFileOrDie(inbox + "/rejected/bad.xml"), bad);
  const std::string diagnostics = testing::ReadFileOrDie(diag_path);
  const std::string located = inbox + "/bad.xml:" + std::to_string(line) + ": ";
  EXPECT_NE(diagnostics.find(located), std::string::npos) << "no '" << located << "' in\n" << diagnostics;
  EXPECT_NE(diagnostics.find("key-length"), std::string::npos) << diagnostics;

  // In the ledger as rejected; nothing applied.
  const sdmxhub::state::v1::LedgerRecord rec = WaitForSubmission(SubmissionIdFor("UNSD", bad));
  EXPECT_EQ(rec.seq(), 0u);
  EXPECT_EQ(rec.marker().status(), sdmxhub::events::v1::STATUS_REJECTED);
  ASSERT_GT(rec.marker().diagnostics_size(), 0);
  EXPECT_EQ(rec.marker().diagnostics(0).file(), inbox + "/bad.xml");
  EXPECT_EQ(rec.marker().diagnostics(0).line(), line);
  EXPECT_EQ(hub_->state()->watermark().value, w);
  EXPECT_EQ(Served(), before);

  // The same bytes again (a provider retrying) are still rejected, with the reasons.
  testing::WriteFileOrDie(inbox + "/bad.xml", bad);
  ASSERT_TRUE(WaitForFile(inbox + "/rejected/bad.1.xml"));
  const std::string again = testing::ReadFileOrDie(inbox + "/rejected/bad.1.xml.diagnostics.txt");
  EXPECT_NE(again.find(located), std::string::npos) << again;
  EXPECT_NE(again.find("already-rejected"), std::string::npos) << again;
  EXPECT_FALSE(fs::exists(inbox + "/done/bad.xml"));
  EXPECT_EQ(hub_->state()->watermark().value, w);
}

TEST_F(FolderDropTest, BrokenXmlIsRejected) {
  const std::string inbox = Inbox("UNSD");
  const uint64_t w = hub_->state()->watermark().value;  // the config structures
  const std::string body = testing::DemoInitial();
  const std::string half = body.substr(0, body.size() / 2);
  testing::WriteFileOrDie(inbox + "/half.xml", half);
  ASSERT_TRUE(WaitForFile(inbox + "/rejected/half.xml"));
  const std::string diagnostics = testing::ReadFileOrDie(inbox + "/rejected/half.xml.diagnostics.txt");
  EXPECT_NE(diagnostics.find(inbox + "/half.xml:"), std::string::npos) << diagnostics;
  EXPECT_NE(diagnostics.find("well-formed-xml"), std::string::npos) << diagnostics;
  EXPECT_EQ(WaitForSubmission(SubmissionIdFor("UNSD", half)).seq(), 0u);
  EXPECT_EQ(hub_->state()->watermark().value, w);
  EXPECT_TRUE(Served().empty());
}

TEST_F(FolderDropTest, HalfWrittenFilesAreNeverRead) {
  const std::string inbox = Inbox("UNSD");
  const std::string revision = testing::DemoRevision();
  const std::string initial = testing::DemoInitial();
  // Names a writer uses while it writes: never candidates, however long they sit.
  testing::WriteFileOrDie(inbox + "/revision.xml.part", revision);
  testing::WriteFileOrDie(inbox + "/other.xml.tmp", revision);
  testing::WriteFileOrDie(inbox + "/.hidden.xml", revision);

  // A writer that appends in place, in pauses well within the settle time:
  // every prefix is broken XML, so a read before the end would be rejected.
  const std::string growing = inbox + "/growing.xml";
  const size_t chunks = 100;
  const auto pause = kSettle / 50;
  std::chrono::steady_clock::duration longest_gap{};
  {
    std::ofstream out(growing, std::ios::binary);
    auto last = std::chrono::steady_clock::now();
    for (size_t i = 0; i < chunks; ++i) {
      const size_t from = initial.size() * i / chunks, to = initial.size() * (i + 1) / chunks;
      out.write(initial.data() + from, static_cast<std::streamsize>(to - from));
      out.flush();
      const auto now = std::chrono::steady_clock::now();
      longest_gap = std::max(longest_gap, now - last);
      last = now;
      ASSERT_TRUE(fs::exists(growing)) << "moved after chunk " << i;
      ASSERT_FALSE(fs::exists(inbox + "/rejected")) << "a prefix was read (chunk " << i << ")";
      ASSERT_FALSE(fs::exists(inbox + "/done")) << "a file was moved to done/ (chunk " << i << ")";
      std::this_thread::sleep_for(pause);
    }
  }
  // The writer took about two settle times in all, and never paused for one.
  ASSERT_LT(longest_gap, kSettle) << "the writer stalled; the test proves nothing";

  ASSERT_TRUE(WaitForFile(inbox + "/done/growing.xml"));
  EXPECT_FALSE(fs::exists(inbox + "/rejected"));
  EXPECT_EQ(testing::ReadFileOrDie(inbox + "/done/growing.xml"), initial);
  const sdmxhub::state::v1::LedgerRecord rec = WaitForSubmission(SubmissionIdFor("UNSD", initial));
  EXPECT_GT(rec.seq(), 0u);
  EXPECT_EQ(rec.marker().body_sha256(), Sha256Hex(initial));

  // Settled long ago, but never read.
  WaitPastSettle();
  EXPECT_EQ(Names(inbox), (std::vector<std::string>{".hidden.xml", "done", "other.xml.tmp", "revision.xml.part"}));
  EXPECT_EQ(Names(inbox + "/done"), std::vector<std::string>{"growing.xml"});

  // The writer renames the finished file: now it is read, all of it.
  fs::rename(inbox + "/revision.xml.part", inbox + "/revision.xml");
  ASSERT_TRUE(WaitForFile(inbox + "/done/revision.xml"));
  const sdmxhub::state::v1::LedgerRecord rev = WaitForSubmission(SubmissionIdFor("UNSD", revision));
  EXPECT_GT(rev.seq(), rec.seq());
  EXPECT_EQ(rev.marker().body_sha256(), Sha256Hex(revision));
  EXPECT_TRUE(fs::exists(inbox + "/other.xml.tmp"));
  EXPECT_TRUE(fs::exists(inbox + "/.hidden.xml"));
}

TEST_F(FolderDropTest, FoldersOfUnknownProvidersAndTheAdminAreIgnored) {
  const std::string body = testing::DemoInitial();
  const std::string nobody = Inbox("NOBODY"), admin = Inbox("admin"), unsd = Inbox("UNSD");
  testing::WriteFileOrDie(nobody + "/feed.xml", body);
  testing::WriteFileOrDie(admin + "/feed.xml", body);
  testing::WriteFileOrDie(drop_ + "/loose.xml", body);  // not in any inbox
  WaitPastSettle();
  // A known provider's file dropped after them is handled, so they were seen.
  testing::WriteFileOrDie(unsd + "/feed.xml", body);
  ASSERT_TRUE(WaitForFile(unsd + "/done/feed.xml"));
  WaitScans(2);

  EXPECT_EQ(Names(nobody), std::vector<std::string>{"feed.xml"});
  EXPECT_EQ(Names(admin), std::vector<std::string>{"feed.xml"});
  EXPECT_TRUE(fs::exists(drop_ + "/loose.xml"));
  const sdmxhub::state::v1::LedgerRecord rec = WaitForSubmission(SubmissionIdFor("UNSD", body));
  EXPECT_EQ(rec.marker().provider(), "UNSD");
  EXPECT_EQ(hub_->state()->watermark().value, rec.seq());
}

TEST_F(FolderDropTest, ProviderWithoutProvisionAgreementIsRejected) {
  // KNBS may report only its national dataflow: a refusal, not a retry.
  const std::string inbox = Inbox("KNBS");
  testing::WriteFileOrDie(inbox + "/feed.xml", testing::DemoInitial());
  ASSERT_TRUE(WaitForFile(inbox + "/rejected/feed.xml"));
  const std::string diagnostics = testing::ReadFileOrDie(inbox + "/rejected/feed.xml.diagnostics.txt");
  EXPECT_NE(diagnostics.find("PermissionDenied"), std::string::npos) << diagnostics;
  EXPECT_NE(diagnostics.find(inbox + "/feed.xml:0: "), std::string::npos) << diagnostics;
  EXPECT_TRUE(Served().empty());
}

TEST_F(FolderDropTest, OversizedFileIsRejectedUnread) {
  hub_.reset();
  StartHub(/*max_file_bytes=*/1000);
  const std::string inbox = Inbox("UNSD");
  const std::string body = testing::DemoInitial();
  ASSERT_GT(body.size(), 1000u);
  testing::WriteFileOrDie(inbox + "/big.xml", body);
  ASSERT_TRUE(WaitForFile(inbox + "/rejected/big.xml"));
  const std::string diagnostics = testing::ReadFileOrDie(inbox + "/rejected/big.xml.diagnostics.txt");
  EXPECT_NE(diagnostics.find("max-file-bytes"), std::string::npos) << diagnostics;
  EXPECT_NE(diagnostics.find(inbox + "/big.xml:0: File: "), std::string::npos) << diagnostics;
  // Never submitted: the ledger does not know it.
  auto rec = hub_->state()->Ledger(SubmissionIdFor("UNSD", body));
  ASSERT_TRUE(rec.ok());
  EXPECT_FALSE(rec->has_value());
}

// The embedded log, made unreachable on demand: NewWriter fails as a Kafka
// log does while its brokers are down.
class LogThatGoesDown final : public storage::EventLog {
 public:
  explicit LogThatGoesDown(storage::EventLog* log) : log_(log) {}
  std::atomic<bool> down{false};
  std::atomic<int> refused{0};

  Result<int32_t> PartitionCount(const std::string& topic) override { return log_->PartitionCount(topic); }
  Result<std::unique_ptr<storage::LogWriter>> NewWriter() override {
    if (down) {
      ++refused;
      return Status::Unavailable("log down (test)");
    }
    return log_->NewWriter();
  }
  Result<std::unique_ptr<storage::LogReader>> NewReader(
      const std::vector<std::pair<storage::TopicPartition, int64_t>>& start) override {
    return log_->NewReader(start);
  }
  Result<int64_t> EndOffset(const storage::TopicPartition& tp) override { return log_->EndOffset(tp); }
  Result<size_t> MaxRecordBytes(const std::string& topic) override { return log_->MaxRecordBytes(topic); }
  std::string Describe() const override { return "down-able " + log_->Describe(); }

 private:
  storage::EventLog* log_;
};

TEST(FolderDropRetryTest, FileStaysInTheInboxWhileTheLogIsDown) {
  testing::TempDir dir;
  storage::EmbeddedEventLogOptions lo;
  lo.path = dir.Sub("log");
  auto inner = storage::EmbeddedEventLog::Open(lo);
  ASSERT_TRUE(inner.ok()) << inner.status().ToString();
  LogThatGoesDown log(inner->get());
  storage::StateOptions so;
  so.path = dir.Sub("state");
  auto state = storage::VersionedState::Open(so);
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  storage::StructureRegistry registry;
  storage::Materialiser materialiser(&log, state->get(), &registry, {});
  ASSERT_TRUE(materialiser.Start().ok());
  connectors::Ingestor ingestor(&log, &registry, state->get(), {});
  connectors::Submission structures;
  structures.body = sdmx::DemoStructureMessage();
  structures.name = "demo_sdg.xml";
  structures.submission_id = "structures";
  ASSERT_TRUE(ingestor.Submit({"admin", {"*"}, true}, structures).ok());
  ASSERT_TRUE(materialiser.WaitForSubmission("structures", kTimeout).ok());
  connectors::ProviderDirectory providers;
  ASSERT_TRUE(providers.Add({"UNSD", {"SDMXHUB:DF_DEMO_SDG"}, false}, Sha256Hex("unsd-token")).ok());

  connectors::FolderDropOptions fo;
  fo.root = dir.Sub("drop");
  fo.poll = 10ms;
  fo.settle = 100ms;
  fo.retry = {10ms, 100ms, 1000ms};  // attempts while the log is down come quickly
  connectors::FolderDrop drop(&ingestor, &providers, fo);
  log.down = true;
  ASSERT_TRUE(drop.Start().ok());
  const std::string inbox = fo.root + "/UNSD";
  fs::create_directories(inbox);
  const std::string body = testing::DemoInitial();
  testing::WriteFileOrDie(inbox + "/feed.xml", body);

  // Several attempts, each refused: the file stays where it is.
  for (auto end = std::chrono::steady_clock::now() + kTimeout;
       log.refused < 3 && std::chrono::steady_clock::now() < end;) {
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_GE(log.refused, 3);
  EXPECT_EQ(Names(inbox), std::vector<std::string>{"feed.xml"});

  log.down = false;
  const std::string id = SubmissionIdFor("UNSD", body);
  auto rec = materialiser.WaitForSubmission(id, kTimeout);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_GT(rec->seq(), 0u);
  for (auto end = std::chrono::steady_clock::now() + kTimeout;
       fs::exists(inbox + "/feed.xml") && std::chrono::steady_clock::now() < end;) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(Names(inbox), std::vector<std::string>{"done"});
  EXPECT_EQ(Names(inbox + "/done"), std::vector<std::string>{"feed.xml"});
  drop.Stop();
  materialiser.Stop();
}

TEST(FolderDropConfigTest, SectionIsCheckedAndDirResolvesAgainstTheConfig) {
  testing::TempDir dir;
  auto load = [&](const std::string& toml) {
    testing::WriteFileOrDie(dir.Sub("hub.toml"), toml);
    return LoadConfig(dir.Sub("hub.toml"));
  };
  auto none = load("[http]\nthreads = 1\n");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->folder_drop.root.empty());

  auto on = load("[folder_drop]\ndir = \"drop\"\nsettle_ms = 50\n");
  ASSERT_TRUE(on.ok()) << on.status().ToString();
  EXPECT_EQ(on->folder_drop.root, dir.Sub("drop"));
  EXPECT_EQ(on->folder_drop.settle, 50ms);
  EXPECT_EQ(on->folder_drop.poll, connectors::FolderDropOptions{}.poll);

  auto typo = load("[folder_drop]\ndir = \"drop\"\nsettle = 50\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("folder_drop.settle"), std::string::npos) << typo.status().ToString();
  auto no_dir = load("[folder_drop]\npoll_ms = 10\n");
  ASSERT_FALSE(no_dir.ok());
  EXPECT_NE(no_dir.status().message().find("folder_drop.dir"), std::string::npos) << no_dir.status().ToString();
  auto zero = load("[folder_drop]\ndir = \"drop\"\nmax_file_bytes = 0\n");
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("folder_drop.max_file_bytes"), std::string::npos);
}

}  // namespace
}  // namespace hub
