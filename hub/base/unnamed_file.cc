#include "hub/base/unnamed_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hub {

Result<int> OpenUnnamedFile(const std::string& dir) {
  const int fd = open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("unnamed file in " + dir + ": " + std::strerror(errno));
  return fd;
}

Status WriteAt(int fd, std::string_view data, uint64_t offset) {
  for (size_t done = 0; done < data.size();) {
    const ssize_t n = pwrite(fd, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::IoError(std::string("write: ") + (n < 0 ? std::strerror(errno) : "nothing written"));
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status ReadAt(int fd, char* out, size_t n, uint64_t offset) {
  for (size_t done = 0; done < n;) {
    const ssize_t r = pread(fd, out + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return Status::IoError(std::string("read: ") + (r < 0 ? std::strerror(errno) : "the file ends early"));
    done += static_cast<size_t>(r);
  }
  return Status::Ok();
}

}  // namespace hub
