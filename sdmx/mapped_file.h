// MappedFile: a read-only memory map of a whole file, for offline tools that
// stream a message of any size (check, convert). The readers take a
// contiguous buffer; a map gives them one without reading the file into
// memory, and Release() lets the caller drop the pages the reader has
// passed, so resident memory stays bounded by the reader's working set (a
// 1 GB message is checked in well under 256 MB). Pages released and touched
// again are simply read back from the file: Release() is a hint, never a
// correctness matter. Move-only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "hub/base/status.h"

namespace sdmx {

class MappedFile {
 public:
  static hub::Result<MappedFile> Open(const std::string& path);
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view data() const { return {static_cast<const char*>(addr_), size_}; }
  // Drops the resident pages wholly before `offset` once at least
  // `kReleaseStep` bytes have been passed since the last release.
  void Release(size_t offset);

  static constexpr size_t kReleaseStep = size_t{16} << 20;

 private:
  MappedFile() = default;
  void* addr_ = nullptr;
  size_t size_ = 0;
  size_t released_ = 0;
};

}  // namespace sdmx
