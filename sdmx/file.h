// Whole-file reads and atomic whole-file writes.
#pragma once

#include <string>
#include <string_view>

#include "hub/base/status.h"

namespace sdmx {

hub::Result<std::string> ReadFile(const std::string& path);
// Writes to `path`.tmp then renames, so readers never see a half-written file.
hub::Status WriteFileAtomic(const std::string& path, std::string_view content);

}  // namespace sdmx
