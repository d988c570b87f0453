// The REST pull connector between two real hubs on loopback: a source hub
// plays the remote agency, a sink hub pulls from it over HTTP. Faults come
// from a small HTTP relay in front of the source (FaultyRemote) that
// forwards, or drops, truncates, stalls or fails requests as told.
#include "connectors/rest_pull.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "connectors/pull_cursor.h"
#include "hub/base/iso_time.h"
#include "hub/config.h"
#include "hub/http/client.h"
#include "hub/hub.h"
#include "sdmx/data_reader.h"
#include "sdmx/demo_feed.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

using namespace std::chrono_literals;
using connectors::PullStatus;

constexpr std::chrono::seconds kTimeout{60};
constexpr char kFlow[] = "SDMXHUB:DF_DEMO_SDG(1.0)";
constexpr char kUnsdToken[] = "demo-unsd-token";
constexpr char kWhoToken[] = "demo-who-token";
const sdmx::ArtefactRef kFlowRef{"SDMXHUB", "DF_DEMO_SDG", "1.0"};

// Polls `done` until it holds or kTimeout passes.
bool WaitFor(const std::function<bool()>& done) {
  for (auto end = std::chrono::steady_clock::now() + kTimeout; std::chrono::steady_clock::now() < end;) {
    if (done()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return done();
}

// Every series of a data message (against the demo structures).
std::vector<sdmx::Series> ReadSeries(const std::string& body) {
  const sdmx::StructureSet structures = testing::DemoStructures();
  sdmx::Diagnostics diags;
  std::vector<sdmx::Series> out;
  auto reader = sdmx::DataReader::Open(body, "message", structures, {}, &diags);
  EXPECT_TRUE(reader.ok()) << diags.ToString();
  if (!reader.ok()) return out;
  for (auto& r = *reader; r->Valid(); r->Next()) out.push_back(r->series());
  return out;
}

std::string DataDigest(Hub& hub) {
  auto d = hub.state()->DataDigest(kFlow);
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() ? *d : "";
}

// Observations (and deletions) the hub committed after watermark `after`:
// what an updatedAfter answer covering exactly those commits holds.
int64_t ChangedSince(Hub& hub, Watermark after) {
  int64_t n = 0;
  Status s = hub.state()->ScanChanges(kFlow, sdmx::KeyPattern(), after, hub.state()->watermark(),
                                      [&](sdmx::Series& changed, sdmx::Series& deleted) {
                                        n += static_cast<int64_t>(changed.observations.size() +
                                                                  deleted.observations.size());
                                        return true;
                                      });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return n;
}

size_t LedgerSize(Hub& hub) {
  size_t n = 0;
  EXPECT_TRUE(hub.state()->ScanLedger([&](const sdmxhub::state::v1::LedgerRecord&) { return ++n > 0; }).ok());
  return n;
}

// An HTTP/1.1 listener on a free loopback port standing in for a remote:
// forwards each GET to `upstream`, or fails it as the mode says. One
// connection at a time; every answer closes its connection.
class FaultyRemote {
 public:
  enum class Mode {
    kForward,   // the upstream's answer
    kClose,     // closes the connection unanswered (a remote going down)
    kError503,  // 503 Service Unavailable
    kTruncate,  // the upstream's answer cut in half (a malformed body), status 200
    kSilent,    // reads the request and never answers
  };

  explicit FaultyRemote(std::string upstream) : upstream_(std::move(upstream)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      ADD_FAILURE() << "FaultyRemote: cannot listen";
      return;
    }
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FaultyRemote() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    for (int fd : held_) ::close(fd);  // stalled requests end now
    if (fd_ >= 0) ::close(fd_);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/sdmx/v1"; }
  void set_mode(Mode m) { mode_ = m; }
  // Request targets received so far, oldest first.
  std::vector<std::string> targets() const {
    std::lock_guard lock(mu_);
    return targets_;
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c >= 0) Handle(c);
    }
  }

  void Handle(int c) {
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = ::read(c, buf, sizeof buf);
      if (n <= 0) break;
      head.append(buf, static_cast<size_t>(n));
    }
    const size_t sp = head.find(' '), sp2 = head.find(' ', sp + 1);
    const std::string target = sp2 == std::string::npos ? "" : head.substr(sp + 1, sp2 - sp - 1);
    {
      std::lock_guard lock(mu_);
      targets_.push_back(target);
    }
    const Mode mode = mode_;
    if (mode == Mode::kSilent) {
      held_.push_back(c);
      return;
    }
    if (mode == Mode::kClose) {
      ::close(c);
      return;
    }
    int status = 503;
    std::string type = "text/plain", body = "busy";
    if (mode != Mode::kError503) {
      auto r = http::Fetch("GET", upstream_ + target, "",
                           {{"Accept", "application/vnd.sdmx.structurespecificdata+xml;version=2.1"}});
      if (!r.ok()) ADD_FAILURE() << r.status().ToString();
      status = r.ok() ? r->status : 502;
      body = r.ok() ? r->body : "";
      if (const std::string* t = r.ok() ? r->FindHeader("Content-Type") : nullptr) type = *t;
      if (mode == Mode::kTruncate && status == 200) body.resize(body.size() / 2);
    }
    const std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + type +
                            "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                            body;
    for (size_t put = 0; put < out.size();) {
      const ssize_t n = ::write(c, out.data() + put, out.size() - put);
      if (n <= 0) break;
      put += static_cast<size_t>(n);
    }
    ::close(c);
  }

  std::string upstream_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<Mode> mode_{Mode::kForward};
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<std::string> targets_;  // guarded by mu_
  std::vector<int> held_;             // kSilent connections; Serve's thread only
};

class RestPullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = testing::StartTestHub(source_dir_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    source_ = std::move(*s);
  }

  // Submits `body` to the source as the holder of `token`; its commit.
  sdmxhub::state::v1::LedgerRecord ToSource(const std::string& body, const std::string& token,
                                            const std::string& params = "") {
    auto rec = testing::SubmitAndWait(*source_, body, "src-" + std::to_string(++submissions_), token, params);
    EXPECT_TRUE(rec.ok()) << rec.status().ToString();
    return rec.ok() ? *rec : sdmxhub::state::v1::LedgerRecord{};
  }

  // The documented [[pull]] example of configs/hub.toml, uncommented, pulling
  // from `url` as `provider`; the sink starts and its first pull is done.
  void StartSink(const std::string& url, const std::string& provider = "UNSD", int64_t overlap_ms = 200,
                 int64_t timeout_ms = 300000, int64_t interval_ms = 3600000) {
    const std::string config =
        testing::DemoConfig(sink_dir_, {{"# [[pull]]", "[[pull]]"},
                                        {"# name = \"who\"", "name = \"src\""},
                                        {"# provider = \"WHO\"", "provider = \"" + provider + "\""},
                                        {"# url = \"https://sdmx.example.org/sdmx/v1\"", "url = \"" + url + "\""},
                                        {"# dataflows = [", "dataflows = ["},
                                        {"# interval_ms = 600000", "interval_ms = " + std::to_string(interval_ms)},
                                        {"# overlap_ms = 600000", "overlap_ms = " + std::to_string(overlap_ms)},
                                        {"# timeout_ms = 300000", "timeout_ms = " + std::to_string(timeout_ms)}});
    auto h = testing::StartTestHub(sink_dir_, config);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    sink_ = std::move(*h);
    ASSERT_NE(sink_->rest_pull(), nullptr);
    ASSERT_TRUE(WaitFor([&] { return sink_->rest_pull()->rounds() >= 1; })) << "no first pull";
  }

  PullStatus Pulled() {
    const std::vector<PullStatus> all = sink_->rest_pull()->statuses();
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? PullStatus{} : all.front();
  }

  // Waits until this process's clock is past `ms` (the hubs share it).
  static void WaitForClockPast(int64_t ms) {
    ASSERT_TRUE(WaitFor([&] { return NowMs() > ms; }));
  }

  // Revisions (WHO's revised and added values; another unit for one series,
  // its values unchanged), deletions (one observation of one series, a whole
  // series) and new series (national figures) on the source. When the last
  // was accepted (ms).
  int64_t ChangeSource() {
    const std::vector<sdmx::Series> revision = ReadSeries(testing::DemoRevision());
    ToSource(testing::DemoRevision(), kWhoToken);
    const std::vector<sdmx::Series> initial = ReadSeries(testing::DemoInitial());
    EXPECT_GE(initial.size(), 4u);
    if (initial.size() < 4) return 0;
    auto revised = [&](const sdmx::Series& s) {
      return std::any_of(revision.begin(), revision.end(), [&](const sdmx::Series& r) { return r.key == s.key; });
    };
    auto unit = std::find_if(initial.begin() + 3, initial.end(), [&](const sdmx::Series& s) { return !revised(s); });
    EXPECT_NE(unit, initial.end());
    if (unit == initial.end()) return 0;
    sdmx::Series relabelled = *unit;
    for (sdmx::Field& f : relabelled.attributes) {
      if (f.id == "UNIT_MEASURE") f.value = f.value == "NUMBER" ? "TH" : "NUMBER";
    }
    ToSource(testing::DemoMessage({relabelled}), kUnsdToken);
    relabelled_observations_ = static_cast<int64_t>(relabelled.observations.size());
    sdmx::Series one_obs = initial[1], whole = initial[2];
    one_obs.attributes.clear();
    one_obs.observations.resize(1);
    one_obs.observations[0].value.clear();
    one_obs.observations[0].attributes.clear();
    whole.attributes.clear();
    whole.observations.clear();  // a series key alone deletes the whole series
    ToSource(testing::DemoMessage({one_obs, whole}, sdmx::Action::kDelete), kUnsdToken);  // action="Delete"
    return ToSource(testing::DemoNational(), kUnsdToken).marker().accepted_time_ms();
  }

  testing::TempDir source_dir_, sink_dir_;
  std::unique_ptr<Hub> source_, sink_;
  int submissions_ = 0;
  int64_t relabelled_observations_ = 0;  // of the series ChangeSource gave another unit
};

TEST_F(RestPullTest, TwoHubsConvergeAfterRevisionsDeletionsAndNewSeries) {
  const auto initial = ToSource(testing::DemoInitial(), kUnsdToken);
  const Watermark after_initial{initial.seq()};
  // The sink's first pull starts more than the overlap after that commit,
  // so the next pull's window (cursor - overlap) starts after it too.
  WaitForClockPast(initial.marker().accepted_time_ms() + 200);
  StartSink(source_->url() + "/sdmx/v1");

  PullStatus first = Pulled();
  EXPECT_EQ(first.last_error, "");
  EXPECT_EQ(first.successes, 1u);
  EXPECT_EQ(first.url.find("updatedAfter"), std::string::npos) << first.url;  // full
  const int64_t total =
      static_cast<int64_t>(testing::ObservationValues(testing::DemoInitial(), testing::DemoStructures()).size());
  EXPECT_EQ(first.received_observations, total);
  EXPECT_EQ(first.submitted_observations, total);
  ASSERT_TRUE(first.cursor_ms.has_value());
  EXPECT_EQ(DataDigest(*sink_), DataDigest(*source_));
  // Same data, other provenance: the full digests differ.
  EXPECT_NE(*sink_->state()->Digest(), *source_->state()->Digest());
  auto rec = sink_->state()->Ledger(first.last_submission_id);
  ASSERT_TRUE(rec.ok() && *rec);
  EXPECT_EQ((*rec)->marker().provider(), "UNSD");
  EXPECT_GT((*rec)->seq(), 0u);

  const int64_t changed_at = ChangeSource();
  const int64_t changes = ChangedSince(*source_, after_initial);
  ASSERT_GT(changes, 0);
  // Likewise, so that the third pull's window starts after the changes.
  WaitForClockPast(changed_at + 200);
  ASSERT_NE(DataDigest(*sink_), DataDigest(*source_));
  ASSERT_TRUE(sink_->rest_pull()->PullOnce().ok()) << Pulled().last_error;

  const PullStatus second = Pulled();
  EXPECT_EQ(second.successes, 2u);
  EXPECT_NE(second.url.find("updatedAfter=" + IsoTimeMs(*first.cursor_ms - 200)), std::string::npos) << second.url;
  // Only the changes travelled, and each changed the sink; the relabelled
  // series came whole (its unit travels with it), its values unchanged.
  EXPECT_EQ(second.received_observations, changes);
  EXPECT_LT(second.received_observations, total);
  EXPECT_GT(second.submitted_deletions, 0);
  ASSERT_GT(relabelled_observations_, 0);
  EXPECT_EQ(second.submitted_observations + second.submitted_deletions + relabelled_observations_, changes);
  rec = sink_->state()->Ledger(second.last_submission_id);
  ASSERT_TRUE(rec.ok() && *rec);
  EXPECT_EQ((*rec)->marker().observations(), changes);
  EXPECT_EQ(DataDigest(*sink_), DataDigest(*source_));

  // Nothing changed on the source since: it has no results, and the sink no commit.
  const Watermark before = sink_->state()->watermark();
  const size_t ledger = LedgerSize(*sink_);
  ASSERT_TRUE(sink_->rest_pull()->PullOnce().ok()) << Pulled().last_error;
  EXPECT_EQ(Pulled().successes, 3u);
  EXPECT_EQ(Pulled().last_submission_id, "");
  EXPECT_NE(Pulled().last_result.find("no results (HTTP 404)"), std::string::npos) << Pulled().last_result;
  EXPECT_EQ(sink_->state()->watermark().value, before.value);
  EXPECT_EQ(LedgerSize(*sink_), ledger);

  // The operator's view: `sdmx-hub digest --dataflow` prints the same
  // digest for both hubs; without it, the full digest as before.
  const std::string flow_arg = " --dataflow SDMXHUB,DF_DEMO_SDG,1.0";
  EXPECT_EQ(testing::HubBinaryOutput("digest --data-dir " + sink_dir_.Sub("data") + flow_arg), DataDigest(*source_));
  EXPECT_EQ(testing::HubBinaryOutput("digest --data-dir " + source_dir_.Sub("data") + flow_arg), DataDigest(*source_));
  EXPECT_EQ(testing::HubBinaryOutput("digest --data-dir " + sink_dir_.Sub("data")), *sink_->state()->Digest());
  // A dataflow the hub does not know is an error, not the digest of no data.
  EXPECT_EQ(testing::RunHubBinary("digest --data-dir " + sink_dir_.Sub("data") + " --dataflow SDMXHUB,DF_NOPE,1.0")
                .exit_code,
            1);
}

TEST_F(RestPullTest, DataPulledAgainWithinTheOverlapAddsNoRevisions) {
  ToSource(testing::DemoInitial(), kUnsdToken);
  StartSink(source_->url() + "/sdmx/v1", "UNSD", /*overlap_ms=*/3'600'000);
  ASSERT_EQ(Pulled().last_error, "");
  ChangeSource();
  ASSERT_TRUE(sink_->rest_pull()->PullOnce().ok()) << Pulled().last_error;
  ASSERT_EQ(DataDigest(*sink_), DataDigest(*source_));
  // An hour of overlap: the answer restates the initial data too, and only
  // what the source changed was submitted.
  const PullStatus second = Pulled();
  ASSERT_GT(second.submitted_observations, 0);
  EXPECT_GT(second.received_observations, second.submitted_observations + second.submitted_deletions);

  // Again: the same answer, and nothing of it is new here.
  const Watermark before = sink_->state()->watermark();
  const size_t ledger = LedgerSize(*sink_);
  const std::string revised = ReadSeries(testing::DemoRevision()).front().KeyString();
  auto history = sink_->state()->History(kFlow, revised);
  ASSERT_TRUE(history.ok());
  ASSERT_TRUE(sink_->rest_pull()->PullOnce().ok()) << Pulled().last_error;
  const PullStatus third = Pulled();
  EXPECT_NE(third.url.find("updatedAfter="), std::string::npos);
  EXPECT_EQ(third.received_observations, second.received_observations);
  EXPECT_EQ(third.submitted_observations, 0);
  EXPECT_EQ(third.submitted_deletions, 0);
  EXPECT_EQ(third.last_submission_id, "");
  EXPECT_NE(third.last_result.find("none changes anything here"), std::string::npos) << third.last_result;
  EXPECT_EQ(sink_->state()->watermark().value, before.value);
  EXPECT_EQ(LedgerSize(*sink_), ledger);
  auto history_after = sink_->state()->History(kFlow, revised);
  ASSERT_TRUE(history_after.ok());
  EXPECT_EQ(history_after->size(), history->size());
  EXPECT_EQ(DataDigest(*sink_), DataDigest(*source_));
}

TEST_F(RestPullTest, FailedPullsKeepTheCursorApplyNothingAndRecover) {
  ToSource(testing::DemoInitial(), kUnsdToken);
  FaultyRemote remote(source_->url());
  StartSink(remote.url(), "UNSD", /*overlap_ms=*/200, /*timeout_ms=*/2000);
  const PullStatus first = Pulled();
  ASSERT_EQ(first.last_error, "");
  ASSERT_TRUE(first.cursor_ms.has_value());
  const std::string request = first.url;
  ChangeSource();
  const Watermark sink_before = sink_->state()->watermark();
  const std::string digest_before = DataDigest(*sink_);

  struct Fault {
    FaultyRemote::Mode mode;
    std::string error;  // in PullStatus::last_error
  };
  const Fault faults[] = {{FaultyRemote::Mode::kClose, "Unavailable"},
                          {FaultyRemote::Mode::kError503, "HTTP 503"},
                          {FaultyRemote::Mode::kTruncate, "unreadable answer"},
                          {FaultyRemote::Mode::kSilent, "no answer within 2000 ms"}};
  uint64_t failures = 0;
  for (const Fault& f : faults) {
    SCOPED_TRACE(f.error);
    remote.set_mode(f.mode);
    const int64_t attempt_from = NowMs();
    EXPECT_FALSE(sink_->rest_pull()->PullOnce().ok());
    const PullStatus st = Pulled();
    EXPECT_EQ(st.failures, ++failures);
    EXPECT_NE(st.last_error.find(f.error), std::string::npos) << st.last_error;
    EXPECT_GE(st.last_error_ms, attempt_from);
    EXPECT_EQ(st.successes, 1u);
    EXPECT_EQ(st.cursor_ms, first.cursor_ms);
    auto stored = connectors::LoadPullCursor(*sink_->state(), "src", kFlow, request);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(*stored, first.cursor_ms);
    // Nothing half-applied: not even the readable first half of a truncated answer.
    EXPECT_EQ(sink_->state()->watermark().value, sink_before.value);
    EXPECT_EQ(DataDigest(*sink_), digest_before);
  }

  // The remote is back: the next pull asks from the same cursor and converges.
  remote.set_mode(FaultyRemote::Mode::kForward);
  ASSERT_TRUE(sink_->rest_pull()->PullOnce().ok()) << Pulled().last_error;
  const PullStatus back = Pulled();
  EXPECT_EQ(back.last_error, "");
  EXPECT_EQ(back.successes, 2u);
  EXPECT_EQ(back.failures, failures);
  EXPECT_GT(*back.cursor_ms, *first.cursor_ms);
  EXPECT_NE(remote.targets().back().find("updatedAfter=" + IsoTimeMs(*first.cursor_ms - 200)), std::string::npos)
      << remote.targets().back();
  EXPECT_EQ(DataDigest(*sink_), DataDigest(*source_));
}

TEST_F(RestPullTest, CursorSurvivesARestart) {
  ToSource(testing::DemoInitial(), kUnsdToken);
  StartSink(source_->url() + "/sdmx/v1");
  const PullStatus first = Pulled();
  ASSERT_EQ(first.last_error, "");
  const Watermark committed = sink_->state()->watermark();
  sink_.reset();

  StartSink(source_->url() + "/sdmx/v1");  // same data dir: its first pull is the restart's
  const PullStatus again = Pulled();
  EXPECT_EQ(again.last_error, "");
  EXPECT_NE(again.url.find("updatedAfter=" + IsoTimeMs(*first.cursor_ms - 200)), std::string::npos) << again.url;
  EXPECT_EQ(again.last_submission_id, "");
  EXPECT_EQ(sink_->state()->watermark().value, committed.value);
  EXPECT_EQ(DataDigest(*sink_), DataDigest(*source_));
}

TEST_F(RestPullTest, DataflowOutsideTheProvidersAgreementsIsRefused) {
  ToSource(testing::DemoInitial(), kUnsdToken);
  // KNBS reports only KNBS:DF_SDG_KE.
  StartSink(source_->url() + "/sdmx/v1", "KNBS");
  const PullStatus st = Pulled();
  EXPECT_EQ(st.successes, 0u);
  EXPECT_EQ(st.failures, 1u);
  EXPECT_NE(st.last_error.find("PermissionDenied"), std::string::npos) << st.last_error;
  EXPECT_NE(st.last_error.find("provision agreement"), std::string::npos) << st.last_error;
  EXPECT_FALSE(st.cursor_ms.has_value());
  auto stored = connectors::LoadPullCursor(*sink_->state(), "src", kFlow, st.url);
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_value());
  // Nothing applied, nothing in the ledger from KNBS.
  bool any = false;
  ASSERT_TRUE(sink_->state()->ScanSeries(kFlow, sdmx::KeyPattern(), sink_->state()->watermark(), [&](sdmx::Series&) {
    any = true;
    return false;
  }).ok());
  EXPECT_FALSE(any);
  ASSERT_TRUE(sink_->state()->ScanLedger([&](const sdmxhub::state::v1::LedgerRecord& r) {
    EXPECT_NE(r.marker().provider(), "KNBS");
    return true;
  }).ok());
  EXPECT_FALSE(sink_->rest_pull()->PullOnce().ok());
  EXPECT_EQ(Pulled().failures, 2u);
}

TEST_F(RestPullTest, TheThreadPullsEveryInterval) {
  ToSource(testing::DemoInitial(), kUnsdToken);
  StartSink(source_->url() + "/sdmx/v1", "UNSD", /*overlap_ms=*/200, /*timeout_ms=*/300000, /*interval_ms=*/50);
  const std::string synced = DataDigest(*source_);
  ASSERT_TRUE(WaitFor([&] { return DataDigest(*sink_) == synced; }));
  ChangeSource();
  // No PullOnce: the schedule alone brings the changes.
  EXPECT_TRUE(WaitFor([&] { return DataDigest(*sink_) == DataDigest(*source_); }));
  EXPECT_TRUE(WaitFor([&] { return Pulled().successes >= 3; }));
  EXPECT_EQ(Pulled().failures, 0u);
}

TEST_F(RestPullTest, HealthzReportsEachSource) {
  ToSource(testing::DemoInitial(), kUnsdToken);
  StartSink(source_->url() + "/sdmx/v1");
  auto r = http::Fetch("GET", sink_->url() + "/healthz");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  for (const std::string& field :
       {std::string("\"pull\":[{\"source\":\"src\",\"dataflow\":\"") + kFlow + "\"", std::string("\"successes\":1"),
        std::string("\"last_error\":\"\""), std::string("\"last_submission\":\"pull-src-")}) {
    EXPECT_NE(r->body.find(field), std::string::npos) << field << " not in " << r->body;
  }
  // And in Prometheus text, labelled by source and dataflow.
  auto m = http::Fetch("GET", sink_->url() + "/metrics");
  ASSERT_TRUE(m.ok());
  const std::string labels = std::string("{source=\"src\",dataflow=\"") + kFlow + "\"}";
  EXPECT_NE(m->body.find("sdmxhub_pull_successes_total" + labels + " 1\n"), std::string::npos) << m->body;
  EXPECT_NE(m->body.find("sdmxhub_pull_failures_total" + labels + " 0\n"), std::string::npos) << m->body;
  EXPECT_NE(m->body.find("sdmxhub_pull_last_success_timestamp_seconds" + labels), std::string::npos);
}

// [[pull]] entries are checked when the config is read, by field name.
TEST(RestPullConfigTest, BadEntriesAreRejectedByName) {
  testing::TempDir dir;
  const std::string good =
      "[[pull]]\nname = \"who\"\nprovider = \"WHO\"\nurl = \"http://127.0.0.1:1/sdmx/v1\"\n"
      "dataflows = [\"SDMXHUB,DF_DEMO_SDG,1.0\"]\n";
  auto load = [&](const std::string& toml) {
    testing::WriteFileOrDie(dir.Sub("hub.toml"), toml);
    return LoadConfig(dir.Sub("hub.toml"));
  };
  auto ok = load(good);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_EQ(ok->pull.sources.size(), 1u);
  EXPECT_EQ(ok->pull.sources[0].dataflows[0], kFlowRef);
  EXPECT_EQ(ok->pull.sources[0].overlap.count(), 600'000);  // absent: the default

  const std::pair<std::string, std::string> bad[] = {
      {good + "overlap_ms = 0\n", "pull.who.overlap_ms must be > 0"},
      {good + "interval = 5\n", "unknown setting pull.interval"},
      {good + "[[pull]]\nname = \"who\"\nprovider = \"UNSD\"\nurl = \"http://x/sdmx/v1\"\ndataflows = [\"A,B,1\"]\n",
       "used twice"},
      {"[[pull]]\nname = \"w\"\nprovider = \"WHO\"\nurl = \"http://x\"\ndataflows = [\"SDMXHUB,DF_DEMO_SDG\"]\n",
       "pull.w.dataflows: 'SDMXHUB,DF_DEMO_SDG' is not AGENCY,ID,VERSION"},
      {"[[pull]]\nname = \"w\"\nprovider = \"WHO\"\ndataflows = [\"A,B,1\"]\n", "pull.w.url"},
      {"[[pull]]\nname = \"w\"\nurl = \"http://x\"\ndataflows = [\"A,B,1\"]\n", "pull.w.provider is required"},
      {"[[pull]]\nname = \"w x\"\nprovider = \"WHO\"\nurl = \"http://x\"\ndataflows = [\"A,B,1\"]\n", "pull.name"},
      {"[pull]\nname = \"w\"\n", "[[pull]]"},
  };
  for (const auto& [toml, error] : bad) {
    auto r = load(toml);
    ASSERT_FALSE(r.ok()) << toml;
    EXPECT_NE(r.status().message().find(error), std::string::npos) << r.status().ToString();
  }
}

}  // namespace
}  // namespace hub
