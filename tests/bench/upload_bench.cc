// A load driver: how long a provider waits for its receipt after the last
// byte of a large upload, with the body parsed while it arrives (the
// default, [http] stream_body_bytes) against the baseline of the same hub
// reading the whole body first (stream_body_bytes above the body size), in
// the same run. The client paces its upload to a link of RATE MB/s, as a
// provider's network would; each mode gets ROUNDS uploads of the demo
// feed's large message (OBS observations, SDMX-ML 2.1 structure-specific).
//   build/bin/upload_bench [obs=1000000] [rate_mb_s=32] [rounds=3]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "bench_feed.h"
#include "hub/hub.h"
#include "sdmx/demo_feed.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Timing {
  double after_last_byte_ms = 0, total_ms = 0;
  bool accepted = false;
};

// configs/hub.toml with absolute structures and `stream_body_bytes`.
std::string Config(const std::string& dir, uint64_t stream_body_bytes) {
  std::ifstream in(std::string(HUB_SOURCE_DIR) + "/configs/hub.toml");
  std::stringstream text;
  text << in.rdbuf();
  std::string c = text.str();
  const std::string structures = "structures = \"structures\"";
  c.replace(c.find(structures), structures.size(),
            "structures = \"" + std::string(HUB_SOURCE_DIR) + "/configs/structures\"");
  const std::string key = "stream_body_bytes = ";
  const size_t at = c.find(key);
  c.replace(at, c.find('\n', at) - at, key + std::to_string(stream_body_bytes));
  const std::string path = dir + "/hub.toml";
  std::ofstream(path) << c;
  return path;
}

Timing Upload(uint16_t port, const std::string& id, const std::string& body, double rate_mb_s) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  Timing t;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return t;
  const std::string head = "POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer demo-unsd-token\r\n"
                           "X-Submission-Id: " + id + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  const auto start = Clock::now();
  (void)!::send(fd, head.data(), head.size(), 0);
  constexpr size_t kPiece = 64 * 1024;
  const double piece_s = kPiece / (rate_mb_s * 1e6);
  for (size_t at = 0; at < body.size(); at += kPiece) {
    std::this_thread::sleep_until(start + std::chrono::duration<double>(piece_s * (at / kPiece)));
    const size_t n = std::min(kPiece, body.size() - at);
    for (size_t sent = 0; sent < n;) {
      const ssize_t k = ::send(fd, body.data() + at + sent, n - sent, 0);
      if (k <= 0) return t;
      sent += static_cast<size_t>(k);
    }
  }
  const auto last_byte = Clock::now();
  char buf[4096];
  std::string answer;
  while (answer.find("\r\n\r\n") == std::string::npos) {
    const ssize_t k = ::recv(fd, buf, sizeof buf, 0);
    if (k <= 0) break;
    answer.append(buf, static_cast<size_t>(k));
  }
  const auto end = Clock::now();
  ::close(fd);
  t.accepted = answer.rfind("HTTP/1.1 202", 0) == 0;
  t.after_last_byte_ms = std::chrono::duration<double, std::milli>(end - last_byte).count();
  t.total_ms = std::chrono::duration<double, std::milli>(end - start).count();
  return t;
}

// One upload to a fresh hub.
Timing Run(const std::string& label, uint64_t stream_body_bytes, const std::string& body, double rate) {
  const std::string dir = std::filesystem::temp_directory_path().string() + "/sdmx-hub-upload-bench-" + label;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  hub::HubOptions o;
  o.data_dir = dir + "/data";
  o.listen = "127.0.0.1:0";
  o.config_path = Config(dir, stream_body_bytes);
  auto hub = hub::Hub::Start(o);
  if (!hub.ok()) {
    std::fprintf(stderr, "%s\n", hub.status().ToString().c_str());
    return {};
  }
  const Timing out = Upload((*hub)->port(), label, body, rate);
  (*hub)->Stop();
  hub->reset();
  std::filesystem::remove_all(dir);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  sdmx::DemoDataOptions d;
  d.file = sdmx::DemoDataOptions::File::kLarge;
  d.observations = argc > 1 ? std::stoull(argv[1]) : 1'000'000;
  const double rate = argc > 2 ? std::atof(argv[2]) : 32;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
  std::string body;
  if (!sdmx::WriteDemoData(d, [&](std::string_view c) { body.append(c); }).ok()) return 1;
  std::printf("upload of %.1f MB (%llu observations) at %.0f MB/s, %d rounds per mode\n", body.size() / 1e6,
              static_cast<unsigned long long>(d.observations), rate, rounds);
  // Alternate so that neither mode gets the warmer machine.
  std::vector<double> streamed, whole, streamed_total, whole_total;
  for (int r = 0; r < rounds; ++r) {
    const Timing w = Run("whole", uint64_t{1} << 40, body, rate);
    const Timing s = Run("streamed", 1 << 20, body, rate);
    if (!w.accepted || !s.accepted) std::fprintf(stderr, "an upload was not accepted\n");
    whole.push_back(w.after_last_byte_ms);
    whole_total.push_back(w.total_ms);
    streamed.push_back(s.after_last_byte_ms);
    streamed_total.push_back(s.total_ms);
  }
  const double w = bench::Percentile(whole, 0.5), s = bench::Percentile(streamed, 0.5);
  std::printf("receipt after the last byte, median: whole body first %.0f ms, parsed while arriving %.0f ms (%.2fx)\n",
              w, s, s / w);
  std::printf("whole upload to receipt, median: whole body first %.0f ms, parsed while arriving %.0f ms (%.2fx)\n",
              bench::Percentile(whole_total, 0.5), bench::Percentile(streamed_total, 0.5),
              bench::Percentile(streamed_total, 0.5) / bench::Percentile(whole_total, 0.5));
  return 0;
}
