// SHA-256 of a byte string, as lowercase hex (OpenSSL).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace hub {

std::string Sha256Hex(std::string_view data);
// Lowercase hex of raw bytes.
std::string HexEncode(const unsigned char* data, size_t size);

// SHA-256 of bytes given piece by piece (an upload as it arrives).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view piece);
  // Lowercase hex; call once, after the last Update.
  std::string Hex();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// SHA-256 over a sequence of byte strings, each framed by its length (8
// bytes, big-endian), so that ("ab", "c") and ("a", "bc") differ. For
// digests built piece by piece (the state digests, pulled content).
class FramedSha256 {
 public:
  FramedSha256();
  ~FramedSha256();
  FramedSha256(const FramedSha256&) = delete;
  FramedSha256& operator=(const FramedSha256&) = delete;
  void Add(std::string_view piece);
  // Lowercase hex; call once, after the last Add.
  std::string Hex() { return sha_.Hex(); }

 private:
  Sha256 sha_;
};

}  // namespace hub
