// A large submission is parsed while it is on the wire (HttpOptions.
// stream_body): series are read before the last byte arrives, yet nothing
// is decided in the ledger, nor answered, before it; an upload cut short or
// a hub stopping mid-upload leaves no trace.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

#include "hub/base/sha256.h"
#include "testing/raw_http.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace json = boost::json;
using testing::PollSubmission;
using testing::PostHead;
using testing::RawConnection;

class StreamedUploadTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }
  void Start() {
    auto h = testing::StartTestHub(dir_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }
  // GET on an open connection (after an upload on it): the status line.
  static std::string GetOn(RawConnection& c, const std::string& target) {
    c.Send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const std::string answer = c.ReadResponse(std::chrono::seconds(10));
    return answer.substr(0, answer.find("\r\n"));
  }
  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(StreamedUploadTest, SeriesAreReadWhileTheBodyArrives) {
  const std::string body = testing::LargeDemoMessage(200'000);
  ASSERT_GT(body.size(), 4u << 20);  // well past HttpOptions.stream_body_bytes
  RawConnection c(hub_->port());
  c.Send(PostHead("stream-1", body.size()));
  const size_t part = body.size() * 6 / 10;
  c.Send(std::string_view(body).substr(0, part));
  // Still receiving, and already parsed: series counted before the last byte.
  json::value r = PollSubmission(*hub_, "stream-1", [](const json::value& v) {
    return v.is_object() && v.at("progress").at("series").to_number<int64_t>() > 0;
  });
  ASSERT_TRUE(r.is_object()) << json::serialize(r);
  ASSERT_GT(r.at("progress").at("series").to_number<int64_t>(), 0) << json::serialize(r);
  EXPECT_EQ(r.at("status").as_string(), "receiving") << json::serialize(r);
  EXPECT_LE(r.at("progress").at("bytes_done").to_number<uint64_t>(), part);
  // Nothing answered yet.
  EXPECT_EQ(c.ReadResponse(std::chrono::milliseconds(200)), "");

  c.Send(std::string_view(body).substr(part));
  const std::string answer = c.ReadResponse();
  ASSERT_EQ(answer.rfind("HTTP/1.1 202", 0), 0u) << answer.substr(0, 400);
  const json::value receipt = json::parse(answer.substr(answer.find("\r\n\r\n") + 4));
  EXPECT_EQ(receipt.at("observations").to_number<int64_t>(), 200'000);
  // The connection carries on after a streamed body.
  EXPECT_EQ(GetOn(c, "/api/v1/submissions/stream-1"), "HTTP/1.1 200 OK");
  json::value done = PollSubmission(*hub_, "stream-1", [](const json::value& v) {
    return v.is_object() && v.at("status").as_string() == "committed";
  });
  ASSERT_TRUE(done.is_object()) << json::serialize(done);
  EXPECT_EQ(done.at("observations").to_number<int64_t>(), 200'000);
  EXPECT_EQ(done.at("body_sha256").as_string(), Sha256Hex(body));  // of the whole body, as received
}

TEST_F(StreamedUploadTest, ABadMessageIsRejectedOnlyOnceItsLastByteIsIn) {
  std::string body = testing::LargeDemoMessage(200'000);
  const size_t first_end = body.find("</Series>");
  ASSERT_NE(first_end, std::string::npos);
  body.replace(first_end, 9, "</Serie> ");  // early, and the same length
  const int line = 1 + static_cast<int>(std::count(body.begin(), body.begin() + static_cast<long>(first_end), '\n'));
  RawConnection c(hub_->port());
  c.Send(PostHead("bad-1", body.size()));
  c.Send(std::string_view(body).substr(0, body.size() / 2));
  // The parser has found the error by now, but the ledger waits for the body.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(c.ReadResponse(std::chrono::milliseconds(100)), "");
  json::value mid = PollSubmission(*hub_, "bad-1", [](const json::value& v) { return v.is_object(); });
  ASSERT_TRUE(mid.is_object());
  EXPECT_NE(mid.at("status").as_string(), "rejected");

  c.Send(std::string_view(body).substr(body.size() / 2));
  const std::string answer = c.ReadResponse();
  ASSERT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer.substr(0, 400);
  EXPECT_NE(answer.find("large.xml:" + std::to_string(line) + ": "), std::string::npos) << answer.substr(0, 1500);
  EXPECT_NE(answer.find("well-formed-xml"), std::string::npos);
  json::value rec = PollSubmission(*hub_, "bad-1", [](const json::value& v) {
    return v.is_object() && v.at("status").as_string() == "rejected";
  });
  ASSERT_TRUE(rec.is_object()) << json::serialize(rec);
  EXPECT_EQ(rec.at("body_sha256").as_string(), Sha256Hex(body));
}

TEST_F(StreamedUploadTest, ARefusalFoundEarlyIsAnsweredAfterTheBodyOnALiveConnection) {
  // KNBS has no provision agreement for the demo dataflow: the first series
  // tells, half-way through the upload.
  const std::string body = testing::LargeDemoMessage(100'000);
  RawConnection c(hub_->port());
  c.Send(PostHead("knbs-1", body.size(), "demo-knbs-token"));
  c.Send(std::string_view(body).substr(0, body.size() / 2));
  EXPECT_EQ(c.ReadResponse(std::chrono::milliseconds(300)), "");
  c.Send(std::string_view(body).substr(body.size() / 2));
  const std::string answer = c.ReadResponse();
  EXPECT_EQ(answer.rfind("HTTP/1.1 403", 0), 0u) << answer.substr(0, 400);
  EXPECT_EQ(GetOn(c, "/api/v1/submissions/knbs-1"), "HTTP/1.1 404 Not Found");
}

TEST_F(StreamedUploadTest, ExpectContinueIsAnsweredBeforeTheBody) {
  // curl sends Expect: 100-continue with bodies over 1 MiB and waits a
  // second for the go-ahead; a token that fails gets its 401 instead.
  const std::string body = testing::LargeDemoMessage(100'000);
  RawConnection c(hub_->port());
  std::string head = PostHead("expect-1", body.size());
  head.insert(head.size() - 2, "Expect: 100-continue\r\n");
  c.Send(head);
  EXPECT_EQ(c.ReadResponse(std::chrono::milliseconds(500)), "HTTP/1.1 100 Continue\r\n\r\n");
  c.Send(body);
  const std::string answer = c.ReadResponse();
  EXPECT_EQ(answer.rfind("HTTP/1.1 202", 0), 0u) << answer.substr(0, 400);

  RawConnection anon(hub_->port());
  std::string bad = PostHead("expect-2", body.size(), "not-a-token");
  bad.insert(bad.size() - 2, "Expect: 100-continue\r\n");
  anon.Send(bad);
  EXPECT_EQ(anon.ReadResponse(std::chrono::seconds(5)).rfind("HTTP/1.1 401", 0), 0u);
}

TEST_F(StreamedUploadTest, SdmxCsvIsStreamedToo) {
  const std::string body = testing::LargeDemoMessage(100'000, sdmx::DataFormat::kCsv20);
  ASSERT_GT(body.size(), 1u << 20);
  std::string receipt;
  auto rec = testing::SubmitAndWait(*hub_, body, "csv-1", "demo-unsd-token", "", &receipt);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(rec->marker().observations(), 100'000);
  EXPECT_EQ(rec->marker().body_sha256(), Sha256Hex(body));
}

TEST_F(StreamedUploadTest, StoppingTheHubMidUploadNeitherHangsNorRecordsIt) {
  const std::string body = testing::LargeDemoMessage(100'000);
  RawConnection c(hub_->port());
  c.Send(PostHead("stop-1", body.size()));
  c.Send(std::string_view(body).substr(0, body.size() / 2));
  json::value r = PollSubmission(*hub_, "stop-1", [](const json::value& v) {
    return v.is_object() && v.at("progress").at("series").to_number<int64_t>() > 0;
  });
  ASSERT_TRUE(r.is_object()) << json::serialize(r);
  ASSERT_GT(r.at("progress").at("series").to_number<int64_t>(), 0) << json::serialize(r);
  // Its handler waits for bytes that will not come; read_timeout is 60 s.
  const auto t0 = std::chrono::steady_clock::now();
  hub_->Stop();
  hub_.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  c.Close();
  Start();
  auto after = http::Fetch("GET", hub_->url() + "/api/v1/submissions/stop-1");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, 404) << after->body;
  // And the same id goes through whole afterwards.
  auto ok = testing::SubmitAndWait(*hub_, body, "stop-1", "demo-unsd-token");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
}

}  // namespace
}  // namespace hub
