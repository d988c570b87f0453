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

struct Sha256::Ctx {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  ~Ctx() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) { EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr); }
Sha256::~Sha256() = default;

void Sha256::Update(std::string_view piece) { EVP_DigestUpdate(ctx_->md, piece.data(), piece.size()); }

std::string Sha256::Hex() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_->md, md, &n);
  return HexEncode(md, n);
}

FramedSha256::FramedSha256() = default;
FramedSha256::~FramedSha256() = default;

void FramedSha256::Add(std::string_view piece) {
  char len[8];
  uint64_t n = piece.size();
  for (int i = 7; i >= 0; --i, n >>= 8) len[i] = static_cast<char>(n & 0xff);
  sha_.Update(std::string_view(len, sizeof len));
  sha_.Update(piece);
}

}  // namespace hub
