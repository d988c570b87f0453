#include "storage/structure_registry.h"

#include "sdmx/structure_reader.h"

namespace hub::storage {

Status StructureRegistry::Apply(const std::string& message, const std::string& name) {
  auto next = std::make_shared<sdmx::StructureSet>(*Snapshot());
  sdmx::Diagnostics diags;
  HUB_RETURN_IF_ERROR(sdmx::ReadStructureMessage(message, name, {}, next.get(), &diags));
  std::lock_guard lock(mu_);
  current_ = std::move(next);
  return Status::Ok();
}

}  // namespace hub::storage
