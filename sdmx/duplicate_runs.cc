#include "sdmx/duplicate_runs.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <queue>
#include <tuple>

#include "hub/base/unnamed_file.h"

namespace sdmx {
namespace {

bool Earlier(const DuplicateRuns::Entry& a, const DuplicateRuns::Entry& b) {
  return std::tie(a.hash, a.series, a.line) < std::tie(b.hash, b.series, b.line);
}

constexpr size_t kCursorEntries = (size_t{64} << 10) / sizeof(DuplicateRuns::Entry);

// Reads one sorted run back, kCursorEntries at a time.
class RunCursor {
 public:
  RunCursor(int fd, uint64_t first, uint64_t count) : fd_(fd), next_(first), end_(first + count) {}
  // False at the end of the run (or on error: status()).
  bool Next(DuplicateRuns::Entry* e) {
    if (at_ == buffer_.size()) {
      if (next_ == end_ || !status_.ok()) return false;
      const uint64_t n = std::min<uint64_t>(kCursorEntries, end_ - next_);
      buffer_.resize(n);
      status_ = hub::ReadAt(fd_, reinterpret_cast<char*>(buffer_.data()), n * sizeof(DuplicateRuns::Entry),
                            next_ * sizeof(DuplicateRuns::Entry));
      if (!status_.ok()) {
        status_ = hub::Status::IoError("duplicate check runs: " + status_.message());
        return false;
      }
      next_ += n;
      at_ = 0;
    }
    *e = buffer_[at_++];
    return true;
  }
  const hub::Status& status() const { return status_; }

 private:
  int fd_;
  uint64_t next_, end_;
  std::vector<DuplicateRuns::Entry> buffer_;
  size_t at_ = 0;
  hub::Status status_;
};

}  // namespace

DuplicateRuns::DuplicateRuns(std::string dir, size_t buffer_bytes)
    : dir_(std::move(dir)), buffer_entries_(std::max<size_t>(buffer_bytes / sizeof(Entry), 1024)) {
  if (dir_.empty()) dir_ = std::filesystem::temp_directory_path().string();
}

DuplicateRuns::~DuplicateRuns() {
  if (fd_ >= 0) close(fd_);
}

hub::Status DuplicateRuns::Add(const Entry& e) {
  if (buffer_.capacity() < buffer_entries_) buffer_.reserve(buffer_entries_);
  buffer_.push_back(e);
  return buffer_.size() >= buffer_entries_ ? WriteRun() : hub::Status::Ok();
}

hub::Status DuplicateRuns::WriteRun() {
  if (fd_ < 0) {
    auto opened = hub::OpenUnnamedFile(dir_);
    if (!opened.ok()) return hub::Status::IoError("duplicate check runs: " + opened.status().message());
    fd_ = *opened;
  }
  std::sort(buffer_.begin(), buffer_.end(), Earlier);
  const uint64_t first = runs_.empty() ? 0 : runs_.back().first + runs_.back().second;
  const std::string_view bytes(reinterpret_cast<const char*>(buffer_.data()), buffer_.size() * sizeof(Entry));
  if (hub::Status w = hub::WriteAt(fd_, bytes, first * sizeof(Entry)); !w.ok()) {
    return hub::Status::IoError("duplicate check runs in " + dir_ + ": " + w.message());
  }
  runs_.emplace_back(first, buffer_.size());
  buffer_.clear();
  return hub::Status::Ok();
}

hub::Status DuplicateRuns::Finish(const std::function<void(const Entry&)>& repeated) {
  // The buffer is one more run, read in place.
  std::sort(buffer_.begin(), buffer_.end(), Earlier);
  std::vector<RunCursor> cursors;
  cursors.reserve(runs_.size());
  for (const auto& [first, count] : runs_) cursors.emplace_back(fd_, first, count);
  // (entry, source): source runs_.size() is the buffer.
  using Head = std::pair<Entry, size_t>;
  auto later = [](const Head& a, const Head& b) { return Earlier(b.first, a.first); };
  std::priority_queue<Head, std::vector<Head>, decltype(later)> heads(later);
  size_t in_buffer = 0;
  auto advance = [&](size_t source) {
    Entry e;
    if (source == cursors.size()) {
      if (in_buffer < buffer_.size()) heads.emplace(buffer_[in_buffer++], source);
    } else if (cursors[source].Next(&e)) {
      heads.emplace(e, source);
    }
  };
  for (size_t i = 0; i <= cursors.size(); ++i) advance(i);
  bool any = false;
  uint64_t last = 0;
  while (!heads.empty()) {
    const auto [e, source] = heads.top();
    heads.pop();
    if (any && e.hash == last) repeated(e);
    any = true;
    last = e.hash;
    advance(source);
  }
  for (const RunCursor& c : cursors) HUB_RETURN_IF_ERROR(c.status());
  std::vector<Entry>().swap(buffer_);
  runs_.clear();
  return hub::Status::Ok();
}

}  // namespace sdmx
