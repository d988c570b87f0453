// StructureRegistry: the structures (codelists, DSDs, dataflows) the hub
// knows, as applied from the log. Readers take an immutable snapshot;
// the Materialiser swaps in a new one when a structure submission commits.
// Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "hub/base/status.h"
#include "sdmx/model.h"

namespace hub::storage {

class StructureRegistry {
 public:
  StructureRegistry() : current_(std::make_shared<const sdmx::StructureSet>()) {}

  std::shared_ptr<const sdmx::StructureSet> Snapshot() const {
    std::lock_guard lock(mu_);
    return current_;
  }
  // Parses an SDMX-ML structure message (named `name` in errors) and merges it in.
  Status Apply(const std::string& message, const std::string& name);

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const sdmx::StructureSet> current_;
};

}  // namespace hub::storage
