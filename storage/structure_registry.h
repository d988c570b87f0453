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
  // `base` (default: the registered structures) with `message` merged in,
  // leaving the registry as it is: a submission's structures take effect
  // with Publish() once it commits, never when it fails half way.
  // InvalidArgument (naming the problem) when the message does not read.
  Result<std::shared_ptr<sdmx::StructureSet>> Merged(const std::string& message, const std::string& name,
                                                     std::shared_ptr<const sdmx::StructureSet> base = nullptr) const;
  void Publish(std::shared_ptr<const sdmx::StructureSet> next);

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const sdmx::StructureSet> current_;
};

}  // namespace hub::storage
