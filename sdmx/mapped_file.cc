#include "sdmx/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace sdmx {

hub::Result<MappedFile> MappedFile::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return hub::Status::IoError(path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return hub::Status::IoError(path + ": " + std::strerror(e));
  }
  MappedFile f;
  f.size_ = static_cast<size_t>(st.st_size);
  if (f.size_ > 0) {  // mmap of length 0 fails; an empty file is an empty view
    void* a = ::mmap(nullptr, f.size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (a == MAP_FAILED) {
      const int e = errno;
      ::close(fd);
      return hub::Status::IoError(path + ": mmap: " + std::strerror(e));
    }
    f.addr_ = a;
    // Readers go front to back: more read-ahead, earlier reclaim.
    (void)::madvise(a, f.size_, MADV_SEQUENTIAL);
  }
  ::close(fd);  // the mapping keeps the file open
  return f;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : addr_(std::exchange(other.addr_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      released_(std::exchange(other.released_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    if (addr_) ::munmap(addr_, size_);
    addr_ = std::exchange(other.addr_, nullptr);
    size_ = std::exchange(other.size_, 0);
    released_ = std::exchange(other.released_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (addr_) ::munmap(addr_, size_);
}

void MappedFile::Release(size_t offset) {
  if (!addr_ || offset < released_ + kReleaseStep) return;
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t end = std::min(offset, size_) / page * page;
  if (end <= released_) return;
  // A private, never-written file mapping: MADV_DONTNEED drops the pages and
  // a later touch reads them back from the file.
  (void)::madvise(static_cast<char*>(addr_) + released_, end - released_, MADV_DONTNEED);
  released_ = end;
}

}  // namespace sdmx
