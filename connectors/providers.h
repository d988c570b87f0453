// ProviderDirectory: who may submit what. A provider authenticates with a
// bearer token (only its SHA-256 is stored) and may submit data to the
// dataflows of its provision agreements; the admin token may submit
// structures and any data. Thread-compatible after construction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hub/base/status.h"
#include "sdmx/model.h"

namespace hub::connectors {

struct Provider {
  std::string id;  // e.g. "UNSD"
  // Provision agreements: dataflows as "AGENCY:ID" (any version) or "*".
  std::vector<std::string> dataflows;
  bool admin = false;
  // How often the provider is expected to report each of its dataflows; a
  // dataflow with no submission for longer is overdue
  // (GET /api/v1/providers/{id}/reporting). 0 = no expectation.
  int64_t report_every_days = 0;

  bool MayReport(const sdmx::ArtefactRef& dataflow) const;
};

// `provider` with the dataflows of the ProvisionAgreements in `structures`
// whose DataProvider is `provider.id` added to its own (from configs/): an
// admin grants an agreement by submitting it as a structure, so it travels
// the log and survives a replay like every structure. An agreement admits
// its dataflow's agency and id (any version), as configs/ entries do; only
// the latest version of an agreement counts. Providers are matched by id
// (configs/ ids are not qualified by a DataProviderScheme agency).
Provider WithAgreements(Provider provider, const sdmx::StructureSet& structures);

class ProviderDirectory {
 public:
  // `token_sha256` is the hex SHA-256 of the provider's token.
  Status Add(Provider provider, const std::string& token_sha256);
  // The admin token (plain; hashed on the way in). Empty = no admin.
  void SetAdminToken(const std::string& token);

  // The provider owning `token`, or Unauthenticated.
  Result<Provider> Authenticate(const std::string& token) const;
  // The provider named `id` (the admin is "admin"), or nullopt. Connectors
  // that know who is submitting without a token (folder drop) use it.
  std::optional<Provider> FindById(const std::string& id) const;
  // Every provider, by id.
  std::vector<Provider> List() const;
  size_t size() const { return by_hash_.size(); }

 private:
  std::map<std::string, Provider> by_hash_;
  std::map<std::string, std::string> hash_by_id_;
};

}  // namespace hub::connectors
