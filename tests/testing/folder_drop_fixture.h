// The folder-drop connector against a running hub (embedded log, RocksDB):
// a hub with a [folder_drop] root in a fresh directory, and waits on what it
// does with files. For connectors_test (linked with hub/).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "connectors/folder_drop.h"
#include "hub/http/client.h"
#include "hub/hub.h"
#include "testing/test_util.h"

namespace hub::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Longer than any scheduling stall a test writer should suffer on a loaded
// 2-core machine, short enough to keep the tests quick.
inline constexpr std::chrono::milliseconds kSettle{1000};
inline constexpr std::chrono::seconds kTimeout{60};

inline std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class FolderDropFixture : public ::testing::Test {
 protected:
  void SetUp() override { StartHub(); }

  // The documented [folder_drop] example of configs/hub.toml, uncommented,
  // with a test root, short times and `more` settings (as replacements of
  // its lines).
  void StartHub(int64_t max_file_bytes = 268435456, std::vector<std::pair<std::string, std::string>> more = {}) {
    drop_ = dir_.Sub("drop");
    std::vector<std::pair<std::string, std::string>> settings = {
        {"# [folder_drop]", "[folder_drop]"},
        {"# dir = \"/var/lib/sdmx-hub/drop\"", "dir = \"" + drop_ + "\""},
        {"# poll_ms = 1000", "poll_ms = 20"},
        {"# settle_ms = 2000", "settle_ms = " + std::to_string(kSettle.count())},
        {"# max_file_bytes = 268435456", "max_file_bytes = " + std::to_string(max_file_bytes)}};
    settings.insert(settings.end(), more.begin(), more.end());
    const std::string config = DemoConfig(dir_, settings);
    HubOptions o;
    o.data_dir = dir_.Sub("data");
    o.listen = "127.0.0.1:0";
    o.config_path = config;
    o.admin_token = "test-admin";  // the admin exists, and still has no inbox
    auto h = Hub::Start(o);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
    ASSERT_NE(hub_->folder_drop(), nullptr);
    EXPECT_EQ(hub_->folder_drop()->options().root, drop_);
  }

  std::string Inbox(const std::string& provider) {
    const std::string p = drop_ + "/" + provider;
    fs::create_directories(p);
    return p;
  }

  // Bounded wait for `path` to exist.
  static bool WaitForFile(const std::string& path) {
    for (auto end = std::chrono::steady_clock::now() + kTimeout; std::chrono::steady_clock::now() < end;) {
      if (fs::exists(path)) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  // Bounded wait until `n` more scans have completed.
  void WaitScans(uint64_t n) {
    const uint64_t target = hub_->folder_drop()->scans() + n;
    for (auto end = std::chrono::steady_clock::now() + kTimeout; std::chrono::steady_clock::now() < end;) {
      if (hub_->folder_drop()->scans() >= target) return;
      std::this_thread::sleep_for(5ms);
    }
    ADD_FAILURE() << "the folder drop did not scan " << n << " more times";
  }

  // Long enough for any file present now to have settled, and scanned twice since.
  void WaitPastSettle() {
    const auto until = std::chrono::steady_clock::now() + kSettle;
    while (std::chrono::steady_clock::now() < until) WaitScans(1);
    WaitScans(2);
  }

  sdmxhub::state::v1::LedgerRecord WaitForSubmission(const std::string& id) {
    auto rec = hub_->materialiser()->WaitForSubmission(id, kTimeout);
    EXPECT_TRUE(rec.ok()) << id << ": " << rec.status().ToString();
    return rec.ok() ? *rec : sdmxhub::state::v1::LedgerRecord{};
  }

  // Drops `body` as `inbox`/`name` and waits for it in done/ and committed:
  // its watermark (0 on failure).
  uint64_t DropCommitted(const std::string& inbox, const std::string& name, const std::string& body) {
    WriteFileOrDie(inbox + "/" + name, body);
    if (!WaitForFile(inbox + "/done/" + name)) {
      ADD_FAILURE() << name << " did not reach done/";
      return 0;
    }
    return WaitForSubmission(connectors::SubmissionIdFor(fs::path(inbox).filename().string(), body)).seq();
  }

  // Every observation of the demo dataflow the hub serves now.
  std::map<std::string, std::string> Served() {
    auto r = http::Fetch("GET", hub_->url() + "/sdmx/v1/data/SDMXHUB,DF_DEMO_SDG,1.0/all", "",
                         {{"Accept", "application/vnd.sdmx.structurespecificdata+xml;version=2.1"}});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok() || r->status == 404) return {};
    EXPECT_EQ(r->status, 200) << r->body.substr(0, 500);
    return ObservationValues(r->body, structures_);
  }

  TempDir dir_;
  std::string drop_;
  std::unique_ptr<Hub> hub_;
  const sdmx::StructureSet structures_ = DemoStructures();
};

}  // namespace hub::testing
