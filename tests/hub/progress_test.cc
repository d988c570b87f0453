// Progress of a large submission before it is accepted: while its body is
// on the wire GET /api/v1/submissions/{id} says "receiving" with the bytes
// so far; while the hub parses it, "validating" with series and bytes read;
// then "appending"; and an upload cut off leaves nothing behind. Also
// `sdmx-hub submit --progress always` drawing its bar against a live hub.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <mutex>
#include <thread>
#include <vector>

#include "hub/http/client.h"
#include "sdmx/demo_feed.h"
#include "testing/raw_http.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace json = boost::json;

using testing::PollSubmission;
using testing::PostHead;
using testing::RawConnection;

class ProgressTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = testing::StartTestHub(dir_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }
  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(ProgressTest, ALargeBodyShowsReceivingThenValidatingThenAppending) {
  const std::string body = testing::LargeDemoMessage(200'000);
  ASSERT_GT(body.size(), 4u << 20);  // well past HttpOptions.body_progress_bytes
  std::mutex mu;
  std::vector<connectors::ProgressSnapshot> seen;  // of "big-1", in order
  hub_->ingestor()->progress()->SetListener([&](const std::string& id, const connectors::ProgressSnapshot& p) {
    std::lock_guard lock(mu);
    if (id == "big-1") seen.push_back(p);
  });

  RawConnection c(hub_->port());
  c.Send(PostHead("big-1", body.size()));
  const size_t half = body.size() / 2;
  c.Send(std::string_view(body).substr(0, half));
  // The hub has about half of it: receiving, with the size announced.
  json::value r = PollSubmission(*hub_, "big-1", [&](const json::value& v) {
    return v.is_object() && v.at("progress").at("bytes_done").to_number<uint64_t>() >= half;
  });
  ASSERT_TRUE(r.is_object()) << json::serialize(r);
  EXPECT_EQ(r.at("status").as_string(), "receiving");
  EXPECT_EQ(r.at("progress").at("bytes_total").to_number<uint64_t>(), body.size());
  EXPECT_EQ(r.at("progress").at("bytes_done").to_number<uint64_t>(), half);
  EXPECT_EQ(r.at("progress").at("percent").to_number<uint64_t>(), 100 * half / body.size());
  EXPECT_EQ(r.at("provider").as_string(), "UNSD");  // the token was checked before the body

  c.Send(std::string_view(body).substr(half));
  const std::string answer = c.ReadResponse();
  ASSERT_EQ(answer.rfind("HTTP/1.1 202", 0), 0u) << answer.substr(0, 300);
  // Afterwards the ledger (or the accepted set) answers, not the progress.
  json::value after = PollSubmission(*hub_, "big-1", [](const json::value& v) {
    return v.is_object() && v.at("status").as_string() == "committed";
  });
  ASSERT_TRUE(after.is_object());
  EXPECT_FALSE(after.as_object().contains("progress"));
  EXPECT_EQ(after.at("observations").to_number<int64_t>(), 200'000);

  // What the ingest path reported on the way: validating with the parser's
  // position moving forward, then appending with every series.
  hub_->ingestor()->progress()->SetListener(nullptr);  // it captures locals
  std::lock_guard lock(mu);
  ASSERT_GE(seen.size(), 3u);
  size_t validating = 0;
  for (size_t i = 0; i < seen.size(); ++i) {
    if (seen[i].phase == "validating") {
      ++validating;
      EXPECT_EQ(seen[i].provider, "UNSD");
      EXPECT_EQ(seen[i].bytes_total, body.size());
      if (i > 0 && seen[i - 1].phase == "validating") {
        EXPECT_GE(seen[i].bytes_done, seen[i - 1].bytes_done);
        EXPECT_GT(seen[i].series, seen[i - 1].series);
      }
    }
  }
  EXPECT_GT(validating, 10u) << "one update per 256 series";
  EXPECT_GT(seen[seen.size() / 2].bytes_done, 0u);
  EXPECT_LT(seen[seen.size() / 2].bytes_done, body.size());
  EXPECT_EQ(seen.back().phase, "appending");
  EXPECT_EQ(seen.back().observations, 200'000);
}

TEST_F(ProgressTest, AnUploadCutOffLeavesNoTrace) {
  const std::string body = testing::LargeDemoMessage(50'000);
  {
    RawConnection c(hub_->port());
    c.Send(PostHead("cut-1", body.size()));
    c.Send(std::string_view(body).substr(0, body.size() / 3));
    json::value r = PollSubmission(*hub_, "cut-1", [](const json::value& v) { return v.is_object(); });
    ASSERT_TRUE(r.is_object());
    EXPECT_EQ(r.at("status").as_string(), "receiving");
  }  // the client goes away mid-body
  json::value gone = PollSubmission(*hub_, "cut-1", [](const json::value& v) { return v == json::value(404); });
  EXPECT_EQ(gone, json::value(404)) << json::serialize(gone);
  // The same id can then be submitted whole.
  auto ok = testing::SubmitAndWait(*hub_, body, "cut-1", "demo-unsd-token");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
}

// Without a valid token the body is refused unread: no memory committed to
// it, no progress entry (which could shadow someone else's submission).
// Another provider uploading under the same id cannot take the entry over.
TEST_F(ProgressTest, AnotherProvidersUploadDoesNotOverwriteTheProgress) {
  const std::string body = testing::LargeDemoMessage(50'000);
  RawConnection unsd(hub_->port());
  unsd.Send(PostHead("shared-1", body.size()));
  const size_t half = body.size() / 2;
  unsd.Send(std::string_view(body).substr(0, half));
  json::value mine = PollSubmission(*hub_, "shared-1", [&](const json::value& v) {
    return v.is_object() && v.at("progress").at("bytes_done").to_number<uint64_t>() == half;
  });
  ASSERT_TRUE(mine.is_object());
  RawConnection who(hub_->port());
  who.Send(PostHead("shared-1", body.size(), "demo-who-token"));
  who.Send(std::string_view(body).substr(0, 2u << 20));  // past body_progress_bytes: reported, but not WHO's to report
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto r = http::Fetch("GET", hub_->url() + "/api/v1/submissions/shared-1");
  ASSERT_TRUE(r.ok());
  const json::value v = json::parse(r->body);
  EXPECT_EQ(v.at("provider").as_string(), "UNSD") << r->body;
  EXPECT_EQ(v.at("progress").at("bytes_done").to_number<uint64_t>(), half) << r->body;
}

TEST_F(ProgressTest, AnUnauthenticatedUploadIsRefusedBeforeItsBody) {
  RawConnection c(hub_->port());
  c.Send(PostHead("anon-1", 200u << 20, "not-a-token"));  // announces 200 MiB, sends none
  const std::string answer = c.ReadResponse();
  EXPECT_EQ(answer.rfind("HTTP/1.1 401", 0), 0u) << answer.substr(0, 300);
  auto r = http::Fetch("GET", hub_->url() + "/api/v1/submissions/anon-1");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
}

TEST_F(ProgressTest, SubmitDrawsAProgressBar) {
  const std::string path = dir_.Sub("large.xml");
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    const std::string body = testing::LargeDemoMessage(100'000);
    std::fwrite(body.data(), 1, body.size(), f);
    std::fclose(f);
  }
  testing::ProcessRun run = testing::RunHubBinary("submit --to " + hub_->url() +
                                                  " --token demo-unsd-token --progress always --wait " + path);
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("\r  sending"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("] 100%"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("202 accepted"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("committed at watermark"), std::string::npos) << run.out;
  // --progress never: no bar.
  testing::ProcessRun quiet = testing::RunHubBinary("submit --to " + hub_->url() +
                                                    " --token demo-unsd-token --progress never " + path);
  EXPECT_EQ(quiet.out.find('\r'), std::string::npos) << quiet.out;
}

}  // namespace
}  // namespace hub
