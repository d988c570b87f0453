// SHA-256 of a byte string, as lowercase hex (OpenSSL).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hub {

std::string Sha256Hex(std::string_view data);
// Lowercase hex of raw bytes.
std::string HexEncode(const unsigned char* data, size_t size);

}  // namespace hub
