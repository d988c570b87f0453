// Unnamed temporary files (O_TMPFILE) for the spools of a submission (its
// body, its events, the duplicate check's runs): never linked, so a crash
// leaves nothing behind. And positioned reads and writes of whole ranges,
// retried across interruptions and short transfers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hub/base/status.h"

namespace hub {

// A read-write descriptor of a new unnamed file in `dir` (the caller
// closes it); the error names `dir`.
Result<int> OpenUnnamedFile(const std::string& dir);
// Writes all of `data` at `offset`.
Status WriteAt(int fd, std::string_view data, uint64_t offset);
// Reads exactly `n` bytes at `offset` into `out` (the file ending first is an error).
Status ReadAt(int fd, char* out, size_t n, uint64_t offset);

}  // namespace hub
