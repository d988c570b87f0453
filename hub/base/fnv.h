// FNV-1a, 64 bits: a fast non-cryptographic hash for ETags (what selects a
// response's bytes), never for integrity (that is sha256.h).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace hub {

inline uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

// Fnv1a64 as 16 lowercase hex digits.
inline std::string Fnv1a64Hex(std::string_view bytes) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(Fnv1a64(bytes)));
  return hex;
}

}  // namespace hub
