// Progress of a large submission before it is accepted: while its body is
// on the wire GET /api/v1/submissions/{id} says "receiving" with the bytes
// so far; while the hub parses it, "validating" with series and bytes read;
// then "appending"; and an upload cut off leaves nothing behind. Also
// `sdmx-hub submit --progress always` drawing its bar against a live hub.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <mutex>
#include <thread>
#include <vector>

#include "hub/http/client.h"
#include "sdmx/demo_feed.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace json = boost::json;

// A raw HTTP/1.1 connection, to send a body in parts.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{60, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawConnection() { Close(); }
  void Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      ASSERT_GT(n, 0);
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  // Everything until the server closes or the head + Content-Length is in.
  std::string ReadResponse() {
    std::string in;
    char buf[8192];
    for (;;) {
      const size_t head_end = in.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const size_t cl = in.find("Content-Length: ");
        if (cl != std::string::npos && cl < head_end &&
            in.size() >= head_end + 4 + std::stoul(in.substr(cl + 16))) {
          return in;
        }
      }
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return in;
      in.append(buf, static_cast<size_t>(n));
    }
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

std::string PostHead(const std::string& id, size_t length, const std::string& token = "demo-unsd-token") {
  return "POST /api/v1/submissions?name=large.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n"
         "Authorization: Bearer " + token + "\r\nX-Submission-Id: " + id +
         "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n";
}

// GET /api/v1/submissions/{id} until `done` holds for its JSON (or 30 s).
json::value PollStatus(Hub& hub, const std::string& id, const std::function<bool(const json::value&)>& done) {
  json::value last;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(std::chrono::milliseconds(10))) {
    auto r = http::Fetch("GET", hub.url() + "/api/v1/submissions/" + id);
    if (!r.ok()) continue;
    last = r->status == 200 ? json::parse(r->body) : json::value(r->status);
    if (done(last)) break;
  }
  return last;
}

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
  json::value r = PollStatus(*hub_, "big-1", [&](const json::value& v) {
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
  json::value after = PollStatus(*hub_, "big-1", [](const json::value& v) {
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
    json::value r = PollStatus(*hub_, "cut-1", [](const json::value& v) { return v.is_object(); });
    ASSERT_TRUE(r.is_object());
    EXPECT_EQ(r.at("status").as_string(), "receiving");
  }  // the client goes away mid-body
  json::value gone = PollStatus(*hub_, "cut-1", [](const json::value& v) { return v == json::value(404); });
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
  json::value mine = PollStatus(*hub_, "shared-1", [&](const json::value& v) {
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
