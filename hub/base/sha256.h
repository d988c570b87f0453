// SHA-256 of a byte string, as lowercase hex (OpenSSL).
#pragma once

#include <string>
#include <string_view>

namespace hub {

std::string Sha256Hex(std::string_view data);

}  // namespace hub
