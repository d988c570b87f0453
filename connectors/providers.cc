#include "connectors/providers.h"

#include <algorithm>

#include "hub/base/sha256.h"

namespace hub::connectors {

bool Provider::MayReport(const sdmx::ArtefactRef& flow) const {
  if (admin) return true;
  const std::string id = flow.agency + ":" + flow.id;
  return std::any_of(dataflows.begin(), dataflows.end(),
                     [&](const std::string& d) { return d == "*" || d == id; });
}

Status ProviderDirectory::Add(Provider provider, const std::string& token_sha256) {
  if (provider.id.empty()) return Status::InvalidArgument("provider without id");
  if (token_sha256.size() != 64) {
    return Status::InvalidArgument("provider " + provider.id + ": token_sha256 must be 64 hex characters");
  }
  if (!by_hash_.emplace(token_sha256, std::move(provider)).second) {
    return Status::AlreadyExists("two providers share one token");
  }
  return Status::Ok();
}

void ProviderDirectory::SetAdminToken(const std::string& token) {
  if (token.empty()) return;
  by_hash_[Sha256Hex(token)] = Provider{"admin", {"*"}, true};
}

Result<Provider> ProviderDirectory::Authenticate(const std::string& token) const {
  if (token.empty()) return Status::Unauthenticated("missing bearer token");
  auto it = by_hash_.find(Sha256Hex(token));
  if (it == by_hash_.end()) return Status::Unauthenticated("unknown token");
  return it->second;
}

std::optional<Provider> ProviderDirectory::FindById(const std::string& id) const {
  // A linear scan: providers are a handful, and keyed by token hash for the hot path.
  for (const auto& [hash, p] : by_hash_) {
    if (p.id == id) return p;
  }
  return std::nullopt;
}

}  // namespace hub::connectors
