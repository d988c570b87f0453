#include "storage/structure_registry.h"

#include "sdmx/structure_reader.h"

namespace hub::storage {

Status StructureRegistry::Apply(const std::string& message, const std::string& name) {
  HUB_ASSIGN_OR_RETURN(auto next, Merged(message, name));
  Publish(std::move(next));
  return Status::Ok();
}

Result<std::shared_ptr<sdmx::StructureSet>> StructureRegistry::Merged(
    const std::string& message, const std::string& name, std::shared_ptr<const sdmx::StructureSet> base) const {
  auto next = std::make_shared<sdmx::StructureSet>(base ? *base : *Snapshot());
  sdmx::Diagnostics diags(5);
  Status s = sdmx::ReadStructureMessage(message, name, {}, next.get(), &diags);
  if (!s.ok()) return Status::InvalidArgument(diags.empty() ? s.message() : diags.ToString());
  return next;
}

void StructureRegistry::Publish(std::shared_ptr<const sdmx::StructureSet> next) {
  std::lock_guard lock(mu_);
  current_ = std::move(next);
}

}  // namespace hub::storage
