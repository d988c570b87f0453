// 50 providers push concurrently while readers query: every submission is
// committed exactly once (ledger == commits == what was sent), and every
// read succeeds. Figures (submissions/s, read latency) are printed for the
// closing note; no timing is asserted (see tests/bench/ for targets).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "hub/base/sha256.h"
#include "hub/http/client.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr int kProviders = 50;
constexpr int kPerProvider = 10;
constexpr int kReaders = 4;

std::string ProviderId(int k) { return "P" + std::to_string(100 + k); }
std::string Token(int k) { return "load-token-" + std::to_string(k); }

// Provider k's j-th submission: one Kenya observation, its own period, so
// the commits revise each other's neighbours but never collide in one key.
std::string Message(int k, int j) {
  sdmx::Series s;
  s.key = sdmx::SplitKey("A.G.SH_STA_MORT.404._T._T._T");
  s.attributes = {{"UNIT_MEASURE", "PER_100000_LIVE_BIRTHS"}};
  s.observations.push_back({std::to_string(1950 + k), std::to_string(k * 1000 + j), {{"OBS_STATUS", "A"}}, 0});
  return testing::DemoMessage({s});
}

TEST(LoadTest, FiftyProvidersPushWhileReadersQueryNothingLostOrDuplicated) {
  testing::TempDir dir;
  std::string config = testing::ReadFileOrDie(testing::DemoConfig(dir));
  for (int k = 0; k < kProviders; ++k) {
    config += "\n[[providers]]\nid = \"" + ProviderId(k) + "\"\ntoken_sha256 = \"" + Sha256Hex(Token(k)) +
              "\"\ndataflows = [\"SDMXHUB:DF_DEMO_SDG\"]\n";
  }
  testing::WriteFileOrDie(dir.Sub("load.toml"), config);
  auto hub = testing::StartTestHub(dir, dir.Sub("load.toml"));
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  const uint64_t w0 = (*hub)->state()->watermark().value;

  std::atomic<bool> pushing{true};
  std::atomic<int> accepted{0}, push_failures{0}, read_failures{0};
  std::vector<std::vector<double>> read_ms(kReaders);
  std::vector<std::thread> readers;
  for (int r = 0; r < kReaders; ++r) {
    readers.emplace_back([&, r] {
      const std::string url = (*hub)->url() + (r % 2 ? "/api/v1/views/global/SH_STA_MORT"
                                                     : "/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.404._T._T._T");
      while (pushing.load()) {
        const auto t = Clock::now();
        auto resp = http::Fetch("GET", url);
        if (!resp.ok() || (resp->status != 200 && resp->status != 404)) ++read_failures;
        read_ms[r].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
      }
    });
  }
  const auto start = Clock::now();
  std::vector<std::thread> providers;
  for (int k = 0; k < kProviders; ++k) {
    providers.emplace_back([&, k] {
      for (int j = 0; j < kPerProvider; ++j) {
        const std::string id = ProviderId(k) + "-" + std::to_string(j);
        auto r = testing::Submit(**hub, Message(k, j), id, Token(k));
        if (r.ok() && r->status == 202) {
          ++accepted;
        } else {
          ++push_failures;
        }
      }
    });
  }
  for (auto& t : providers) t.join();
  const double push_s = std::chrono::duration<double>(Clock::now() - start).count();
  // Every accepted submission commits.
  for (int k = 0; k < kProviders; ++k) {
    for (int j = 0; j < kPerProvider; ++j) {
      auto rec = (*hub)->materialiser()->WaitForSubmission(ProviderId(k) + "-" + std::to_string(j),
                                                           std::chrono::seconds(60));
      ASSERT_TRUE(rec.ok()) << rec.status().ToString();
      ASSERT_GT(rec->seq(), 0u);
    }
  }
  const double commit_s = std::chrono::duration<double>(Clock::now() - start).count();
  pushing = false;
  for (auto& t : readers) t.join();

  constexpr int kTotal = kProviders * kPerProvider;
  EXPECT_EQ(accepted.load(), kTotal);
  EXPECT_EQ(push_failures.load(), 0);
  EXPECT_EQ(read_failures.load(), 0);
  // Commits: exactly one per submission, nothing else.
  const uint64_t w1 = (*hub)->state()->watermark().value;
  EXPECT_EQ(w1 - w0, static_cast<uint64_t>(kTotal));
  std::map<std::string, int> committed;
  int64_t observations = 0;
  for (uint64_t seq = w0 + 1; seq <= w1; ++seq) {
    auto c = (*hub)->state()->Commit(seq);
    ASSERT_TRUE(c.ok() && *c);
    ++committed[(*c)->submission_id()];
    observations += (*c)->observations();
  }
  EXPECT_EQ(committed.size(), static_cast<size_t>(kTotal));
  for (const auto& [id, n] : committed) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(observations, kTotal);
  // The ledger agrees, per provider.
  for (int k = 0; k < kProviders; ++k) {
    auto r = http::Fetch("GET", (*hub)->url() + "/api/v1/submissions?status=committed&provider=" + ProviderId(k));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(json::parse(r->body).at("total").to_number<int>(), kPerProvider) << ProviderId(k);
  }
  // The state holds each provider's last value for its period.
  auto data = http::Fetch("GET", (*hub)->url() + "/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.404._T._T._T?format=csv");
  ASSERT_TRUE(data.ok());
  for (int k = 0; k < kProviders; ++k) {
    EXPECT_NE(data->body.find(std::to_string(1950 + k) + "," + std::to_string(k * 1000 + kPerProvider - 1)),
              std::string::npos)
        << "provider " << k;
  }

  std::vector<double> all;
  for (const auto& v : read_ms) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0 : all[static_cast<size_t>(p * (all.size() - 1))]; };
  std::printf("load: %d submissions from %d providers accepted in %.2f s (%.0f/s), all committed in %.2f s; "
              "%zu reads during it, p50 %.2f ms p99 %.2f ms\n",
              kTotal, kProviders, push_s, kTotal / push_s, commit_s, all.size(), pct(0.5), pct(0.99));
}

}  // namespace
}  // namespace hub
