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

Provider WithAgreements(Provider provider, const sdmx::StructureSet& structures) {
  // The latest version of each agreement speaks for it: a new version that
  // names another dataflow (or another provider) withdraws the old grant.
  std::map<std::string, const sdmx::ProvisionAgreement*> latest;  // AGENCY:ID
  for (const auto& [urn, pa] : structures.provision_agreements()) {
    const sdmx::ProvisionAgreement*& best = latest[pa.ref.agency + ":" + pa.ref.id];
    if (!best || sdmx::CompareVersions(best->ref.version, pa.ref.version) < 0) best = &pa;
  }
  for (const auto& [key, pa] : latest) {
    if (pa->provider != provider.id || pa->dataflow.id.empty()) continue;
    const std::string flow = pa->dataflow.agency + ":" + pa->dataflow.id;
    if (std::find(provider.dataflows.begin(), provider.dataflows.end(), flow) == provider.dataflows.end()) {
      provider.dataflows.push_back(flow);
    }
  }
  return provider;
}

Status ProviderDirectory::Add(Provider provider, const std::string& token_sha256) {
  if (provider.id.empty()) return Status::InvalidArgument("provider without id");
  if (token_sha256.size() != 64) {
    return Status::InvalidArgument("provider " + provider.id + ": token_sha256 must be 64 hex characters");
  }
  if (hash_by_id_.count(provider.id)) return Status::AlreadyExists("two providers with id " + provider.id);
  const std::string id = provider.id;
  if (!by_hash_.emplace(token_sha256, std::move(provider)).second) {
    return Status::AlreadyExists("two providers share one token");
  }
  hash_by_id_[id] = token_sha256;
  return Status::Ok();
}

void ProviderDirectory::SetAdminToken(const std::string& token) {
  if (token.empty()) return;
  const std::string hash = Sha256Hex(token);
  by_hash_[hash] = Provider{"admin", {"*"}, true};
  hash_by_id_["admin"] = hash;
}

std::optional<Provider> ProviderDirectory::FindById(const std::string& id) const {
  auto it = hash_by_id_.find(id);
  if (it == hash_by_id_.end()) return std::nullopt;
  return by_hash_.at(it->second);
}

std::vector<Provider> ProviderDirectory::List() const {
  std::vector<Provider> out;
  for (const auto& [id, hash] : hash_by_id_) out.push_back(by_hash_.at(hash));
  return out;
}

Result<Provider> ProviderDirectory::Authenticate(const std::string& token) const {
  if (token.empty()) return Status::Unauthenticated("missing bearer token");
  auto it = by_hash_.find(Sha256Hex(token));
  if (it == by_hash_.end()) return Status::Unauthenticated("unknown token");
  return it->second;
}

}  // namespace hub::connectors
