// The explorer page's files (hub/explorer/*.html, *.css, *.js), compiled into
// the executable by embed.cmake and served by hub/http/handlers/explorer.cc.
#pragma once

#include <span>
#include <string_view>

namespace hub::explorer {

struct Asset {
  std::string_view name;   // file name, e.g. "app.js"
  std::string_view bytes;  // its contents, as in the source tree
};

std::span<const Asset> Assets();

}  // namespace hub::explorer
