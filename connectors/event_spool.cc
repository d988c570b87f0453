#include "connectors/event_spool.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "hub/base/unnamed_file.h"

namespace hub::connectors {
namespace {

void PutPiece(std::string* out, std::string_view piece) {
  const auto n = static_cast<uint32_t>(piece.size());
  out->append(reinterpret_cast<const char*>(&n), sizeof n);
  out->append(piece);
}

// A length-prefixed piece at *at of `data`; false when it is cut short.
bool GetPiece(std::string_view data, size_t* at, std::string_view* piece) {
  uint32_t n;
  if (data.size() - *at < sizeof n) return false;
  std::memcpy(&n, data.data() + *at, sizeof n);
  if (data.size() - *at - sizeof n < n) return false;
  *piece = data.substr(*at + sizeof n, n);
  *at += sizeof n + n;
  return true;
}

constexpr size_t kReadBytes = size_t{4} << 20;  // read back this much at a time

}  // namespace

EventSpool::EventSpool(std::string dir, size_t memory_bytes) : dir_(std::move(dir)), memory_bytes_(memory_bytes) {
  if (dir_.empty()) dir_ = std::filesystem::temp_directory_path().string();
}

EventSpool::~EventSpool() {
  if (fd_ >= 0) close(fd_);
}

Status EventSpool::Add(std::string_view topic, std::string_view key, std::string_view value) {
  // Room for the whole budget at once: growing by doubling would take up
  // to twice of it.
  if (buffer_.capacity() < memory_bytes_ + (size_t{1} << 16)) buffer_.reserve(memory_bytes_ + (size_t{1} << 16));
  PutPiece(&buffer_, topic);
  PutPiece(&buffer_, key);
  PutPiece(&buffer_, value);
  ++count_;
  return buffer_.size() >= memory_bytes_ ? Spill() : Status::Ok();
}

Status EventSpool::Spill() {
  if (fd_ < 0) {
    auto opened = OpenUnnamedFile(dir_);
    if (!opened.ok()) return Status::IoError("event spool: " + opened.status().message());
    fd_ = *opened;
  }
  if (Status w = WriteAt(fd_, buffer_, file_bytes_); !w.ok()) {
    return Status::IoError("event spool in " + dir_ + ": " + w.message());
  }
  file_bytes_ += buffer_.size();
  buffer_.clear();
  return Status::Ok();
}

Status EventSpool::Parse(std::string_view data, const Visitor& fn, size_t* used) {
  size_t at = 0;
  for (;;) {
    size_t next = at;
    std::string_view topic, key, value;
    if (!GetPiece(data, &next, &topic) || !GetPiece(data, &next, &key) || !GetPiece(data, &next, &value)) break;
    HUB_RETURN_IF_ERROR(fn(topic, key, value));
    at = next;
  }
  *used = at;
  return Status::Ok();
}

Status EventSpool::ForEach(const Visitor& fn) const {
  std::string chunk;  // read back from the file; a record may straddle two reads
  for (size_t off = 0; off < file_bytes_;) {
    const size_t want = std::min(kReadBytes, file_bytes_ - off);
    const size_t had = chunk.size();
    chunk.resize(had + want);
    if (Status r = ReadAt(fd_, chunk.data() + had, want, off); !r.ok()) {
      return Status::IoError("event spool: " + r.message());
    }
    off += want;
    size_t used = 0;
    HUB_RETURN_IF_ERROR(Parse(chunk, fn, &used));
    chunk.erase(0, used);
    // A record longer than one read grows `chunk` until it is whole.
  }
  if (!chunk.empty()) return Status::Corruption("event spool: a record cut short");
  size_t used = 0;
  HUB_RETURN_IF_ERROR(Parse(buffer_, fn, &used));
  return used == buffer_.size() ? Status::Ok() : Status::Corruption("event spool: a record cut short");
}

}  // namespace hub::connectors
