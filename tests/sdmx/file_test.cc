// LineIndex (lazy line numbers) and MappedFile (what check/convert read).
#include <gtest/gtest.h>

#include <string>

#include "sdmx/mapped_file.h"
#include "sdmx/xml.h"
#include "testing/test_util.h"

namespace sdmx {
namespace {

// The line of `offset`, counted the obvious way.
int NaiveLine(const std::string& s, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < s.size(); ++i) line += s[i] == '\n';
  return line;
}

TEST(LineIndexTest, ForwardAndBackwardQueriesAgreeWithCounting) {
  // Several 64 KiB checkpoints, lines of varying length.
  std::string s;
  for (int i = 0; s.size() < 300'000; ++i) s += std::string(static_cast<size_t>(i % 97), 'x') + "\n";
  LineIndex lines(s);
  for (size_t off : {size_t{0}, size_t{5}, size_t{70'000}, size_t{65'536}, size_t{200'000}, size_t{10}, size_t{131'072},
                     size_t{299'999}, size_t{150'000}, s.size(), s.size() + 10}) {
    EXPECT_EQ(lines.LineOf(static_cast<std::ptrdiff_t>(off)), NaiveLine(s, off)) << "offset " << off;
  }
  EXPECT_EQ(lines.LineOf(-1), 0);
}

TEST(MappedFileTest, ReleasedPagesReadBackFromTheFile) {
  hub::testing::TempDir dir;
  std::string content;
  for (int i = 0; content.size() < 3 * MappedFile::kReleaseStep; ++i) content += std::to_string(i) + "\n";
  hub::testing::WriteFileOrDie(dir.Sub("f"), content);
  auto f = MappedFile::Open(dir.Sub("f"));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->data().size(), content.size());
  EXPECT_EQ(f->data().substr(0, 100), content.substr(0, 100));
  f->Release(2 * MappedFile::kReleaseStep + 123);
  // Released pages are a hint to the kernel, not a hole in the buffer.
  EXPECT_EQ(f->data(), content);

  hub::testing::WriteFileOrDie(dir.Sub("empty"), "");
  auto e = MappedFile::Open(dir.Sub("empty"));
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->data().empty());
  auto missing = MappedFile::Open(dir.Sub("missing"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find(dir.Sub("missing")), std::string::npos);
}

}  // namespace
}  // namespace sdmx
