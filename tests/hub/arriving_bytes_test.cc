// ArrivingBytes spooled to an unnamed file: the bytes read back are those
// written (also after the pages were let go), the SHA-256 is the body's,
// nothing is left on disk, and the resident memory of a large upload stays
// bounded (VmRSS from /proc, before and after).
#include "hub/base/arriving_bytes.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "hub/base/sha256.h"
#include "testing/test_util.h"

namespace hub {
namespace {

size_t RssKib() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
  }
  return 0;
}

TEST(ArrivingBytesTest, SpooledBytesReadBackHashAndLeaveNothing) {
  testing::TempDir dir;
  const size_t size = 3 * ArrivingBytes::kReleaseStep + 12345;
  std::string body(size, '\0');
  std::mt19937_64 rng(7);
  for (char& c : body) c = static_cast<char>(rng());
  auto bytes = ArrivingBytes::Spooled(size, dir.path());
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ArrivingBytes& b = **bytes;
  EXPECT_TRUE(b.spooled());
  std::thread producer([&] {
    for (size_t at = 0; at < size;) {
      const size_t n = std::min<size_t>(1 << 16, b.room());
      std::memcpy(b.tail(), body.data() + at, n);
      ASSERT_TRUE(b.Arrived(n));
      at += n;
    }
  });
  // A reader that lets go of what it passed, as ingest does.
  for (size_t have = 0; have < size;) {
    have = b.WaitBeyond(have);
    b.Release(have / 2);
  }
  producer.join();
  ASSERT_TRUE(b.WaitAll().ok());
  EXPECT_EQ(b.view(), body) << "read back after the pages were let go";
  EXPECT_EQ(b.sha256(), Sha256Hex(body));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "an unnamed file";
}

TEST(ArrivingBytesTest, ALargeSpooledUploadKeepsItsResidentMemoryBounded) {
  testing::TempDir dir;
  const size_t size = size_t{256} << 20;
  auto bytes = ArrivingBytes::Spooled(size, dir.path());
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ArrivingBytes& b = **bytes;
  const size_t before = RssKib();
  size_t peak = before;
  for (size_t at = 0; at < size;) {
    const size_t n = b.room();
    std::memset(b.tail(), 'x', n);
    ASSERT_TRUE(b.Arrived(n));
    at += n;
    b.Release(at);  // a reader keeping pace
    peak = std::max(peak, RssKib());
  }
  EXPECT_EQ(b.sha256().size(), 64u);
  // Held in memory it would be 256 MiB more; spooled, a few release steps.
  EXPECT_LT(peak - before, size_t{4} * ArrivingBytes::kReleaseStep / 1024) << "KiB resident beyond the start";
}

}  // namespace
}  // namespace hub
