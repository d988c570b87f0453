#include "sdmx/file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace sdmx {

hub::Result<std::string> ReadFile(const std::string& path) {
  // Sized once and read in place: a stringstream would hold the file twice.
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return hub::Status::IoError(path + ": " + std::strerror(errno));
  const std::streamoff size = in.tellg();
  if (size < 0) return hub::Status::IoError(path + ": cannot tell its size");
  std::string out(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(out.data(), size)) return hub::Status::IoError(path + ": read failed");
  return out;
}

hub::Status WriteFileAtomic(const std::string& path, std::string_view content) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return hub::Status::IoError(tmp + ": " + std::strerror(errno));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) return hub::Status::IoError(tmp + ": write failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return hub::Status::IoError(path + ": rename: " + std::strerror(errno));
  }
  return hub::Status::Ok();
}

}  // namespace sdmx
