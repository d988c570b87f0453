#include "hub/base/sha256.h"

#include <openssl/evp.h>

#include <cstdint>

namespace hub {

std::string HexEncode(const unsigned char* data, size_t size) {
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    hex += kHex[data[i] >> 4];
    hex += kHex[data[i] & 15];
  }
  return hex;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  return HexEncode(md, n);
}

struct FramedSha256::Ctx {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  ~Ctx() { EVP_MD_CTX_free(md); }
};

FramedSha256::FramedSha256() : ctx_(std::make_unique<Ctx>()) { EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr); }
FramedSha256::~FramedSha256() = default;

void FramedSha256::Add(std::string_view piece) {
  unsigned char len[8];
  uint64_t n = piece.size();
  for (int i = 7; i >= 0; --i, n >>= 8) len[i] = static_cast<unsigned char>(n & 0xff);
  EVP_DigestUpdate(ctx_->md, len, sizeof len);
  EVP_DigestUpdate(ctx_->md, piece.data(), piece.size());
}

std::string FramedSha256::Hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_->md, md, &n);
  return HexEncode(md, n);
}

}  // namespace hub
