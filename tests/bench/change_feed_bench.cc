// Change-feed delivery lag: an in-process hub, S subscribers on
// /api/v1/changes (raw loopback sockets, one reader thread polling them
// all), a steady feed of small submissions; for each event at each
// subscriber, the time from the watermark being published (seen by a
// thread watching it) to the event arriving. p50/p99 at 100 subscribers
// next to the same at 1 subscriber, measured in the same run (the baseline).
//   build/bin/change_feed_bench [subscribers=100] [submissions=200] [interval_ms=20]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "bench_feed.h"
#include "hub/http/client.h"
#include "hub/hub.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

int Connect(uint16_t port, uint64_t after) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
  const std::string req = "GET /api/v1/changes?after=" + std::to_string(after) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  if (::send(fd, req.data(), req.size(), 0) != static_cast<ssize_t>(req.size())) return -1;
  return fd;
}

// Returns the lags in ms of every event at every subscriber.
std::vector<double> Run(int subscribers, int count, int interval_ms) {
  const std::string dir = std::filesystem::temp_directory_path().string() + "/sdmx-hub-feed-bench";
  std::filesystem::remove_all(dir);
  hub::HubOptions o;
  o.data_dir = dir;
  o.listen = "127.0.0.1:0";
  o.config_path = std::string(HUB_SOURCE_DIR) + "/configs/hub.toml";
  auto hub = hub::Hub::Start(o);
  if (!hub.ok()) {
    std::fprintf(stderr, "%s\n", hub.status().ToString().c_str());
    return {};
  }
  const uint64_t start = (*hub)->state()->watermark().value;
  std::vector<int> fds;
  for (int i = 0; i < subscribers; ++i) fds.push_back(Connect((*hub)->port(), start));

  std::mutex mu;
  std::map<uint64_t, Clock::time_point> published;
  std::vector<std::pair<uint64_t, Clock::time_point>> received;  // (watermark, when), all subscribers
  std::atomic<bool> done{false};
  std::thread watcher([&] {  // when each watermark became visible
    uint64_t seen = start;
    while (!done) {
      const uint64_t w = (*hub)->state()->watermark().value;
      if (w != seen) {
        std::lock_guard l(mu);
        for (uint64_t x = seen + 1; x <= w; ++x) published[x] = Clock::now();
        seen = w;
      }
      std::this_thread::sleep_for(20us);
    }
  });
  std::thread reader([&] {
    std::vector<pollfd> pfds;
    for (int fd : fds) pfds.push_back({fd, POLLIN, 0});
    std::vector<std::string> bufs(fds.size());
    const uint64_t last = start + static_cast<uint64_t>(count);
    size_t finished = 0;
    std::vector<bool> at_end(fds.size());
    while (finished < fds.size() && ::poll(pfds.data(), pfds.size(), 10'000) > 0) {
      for (size_t i = 0; i < pfds.size(); ++i) {
        if (!(pfds[i].revents & (POLLIN | POLLHUP))) continue;
        char chunk[65536];
        const ssize_t n = ::recv(pfds[i].fd, chunk, sizeof chunk, 0);
        const auto now = Clock::now();
        if (n <= 0) {
          pfds[i].fd = -1;
          if (!at_end[i]) at_end[i] = true, ++finished;
          continue;
        }
        bufs[i].append(chunk, static_cast<size_t>(n));
        size_t pos;
        while ((pos = bufs[i].find("\nid: ")) != std::string::npos) {
          const size_t eol = bufs[i].find('\n', pos + 1);
          if (eol == std::string::npos) break;
          const uint64_t w = std::stoull(bufs[i].substr(pos + 5, eol - pos - 5));
          bufs[i].erase(0, eol);
          std::lock_guard l(mu);
          received.emplace_back(w, now);
          if (w == last && !at_end[i]) at_end[i] = true, ++finished;
        }
      }
    }
  });
  const std::string url = (*hub)->url();
  auto next = Clock::now();
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_until(next);
    next += std::chrono::milliseconds(interval_ms);
    (void)hub::http::Fetch("POST", url + "/api/v1/submissions", bench::Feed(i),
                           {{"Authorization", "Bearer demo-unsd-token"}, {"X-Submission-Id", "b" + std::to_string(i)}});
  }
  reader.join();
  done = true;
  watcher.join();
  for (int fd : fds) ::close(fd);
  std::vector<double> lags;
  for (const auto& [w, when] : received) {
    auto p = published.find(w);
    if (p != published.end()) lags.push_back(std::chrono::duration<double, std::milli>(when - p->second).count());
  }
  if (received.size() != static_cast<size_t>(subscribers) * count) {
    std::fprintf(stderr, "%d subscribers: %zu events received, expected %d\n", subscribers, received.size(),
                 subscribers * count);
  }
  (*hub)->Stop();
  hub->reset();
  std::filesystem::remove_all(dir);
  return lags;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  const int subscribers = argc > 1 ? std::atoi(argv[1]) : 100;
  const int count = argc > 2 ? std::atoi(argv[2]) : 200;
  const int interval = argc > 3 ? std::atoi(argv[3]) : 20;
  const std::vector<double> one = Run(1, count, interval);
  const std::vector<double> many = Run(subscribers, count, interval);
  std::printf("change feed, commit -> subscriber: 1 subscriber p50 %.2f p99 %.2f ms (%zu events) | "
              "%d subscribers p50 %.2f p99 %.2f ms (%zu events) | p99 ratio %.1fx\n",
              bench::Percentile(one, 0.5), bench::Percentile(one, 0.99), one.size(), subscribers,
              bench::Percentile(many, 0.5), bench::Percentile(many, 0.99), many.size(),
              bench::Percentile(many, 0.99) / std::max(1e-9, bench::Percentile(one, 0.99)));
  return 0;
}
