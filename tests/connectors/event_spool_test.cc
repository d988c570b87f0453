// EventSpool: events come back in the order added, past its memory budget
// too (from the file), including records larger than one read-back.
#include "connectors/event_spool.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <tuple>
#include <vector>

#include "testing/test_util.h"

namespace hub::connectors {
namespace {

TEST(EventSpoolTest, EventsComeBackInOrderFromMemoryAndFile) {
  testing::TempDir dir;
  EventSpool spool(dir.path(), 1000);  // a tiny budget: almost everything goes to the file
  std::vector<std::tuple<std::string, std::string, std::string>> added;
  for (int i = 0; i < 2000; ++i) {
    // Every 500th value is larger than a read-back (4 MiB): it straddles reads.
    std::string value = i % 500 == 7 ? std::string((size_t{5} << 20) + i, 'v') : "value-" + std::to_string(i);
    added.emplace_back(i % 3 ? "sdmx.data" : "sdmx.structures", "key-" + std::to_string(i), std::move(value));
    const auto& [t, k, v] = added.back();
    ASSERT_TRUE(spool.Add(t, k, v).ok());
  }
  EXPECT_EQ(spool.count(), added.size());
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "an unnamed file";
  size_t i = 0;
  Status s = spool.ForEach([&](std::string_view t, std::string_view k, std::string_view v) {
    EXPECT_LT(i, added.size());
    if (i >= added.size()) return Status::Internal("too many");
    EXPECT_EQ(t, std::get<0>(added[i]));
    EXPECT_EQ(k, std::get<1>(added[i]));
    EXPECT_TRUE(v == std::get<2>(added[i])) << "event " << i;
    ++i;
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(i, added.size());
  // A visitor's error stops the walk and comes back.
  int seen = 0;
  s = spool.ForEach([&](std::string_view, std::string_view, std::string_view) {
    return ++seen == 3 ? Status::Unavailable("stop") : Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(seen, 3);
}

}  // namespace
}  // namespace hub::connectors
