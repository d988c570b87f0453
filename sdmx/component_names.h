// The human-readable names of a data structure's components (their
// concepts' names) and of coded values (their codelists' names), for the
// writers that show them (SDMX-JSON `name`, SDMX-CSV labels=both|name).
// Falls back to the id where the structures hold no name.
#pragma once

#include <string>

#include "sdmx/model.h"

namespace sdmx {

class ComponentNames {
 public:
  // `names` may be null (every name is then its id); both must outlive this.
  ComponentNames(const StructureSet* names, const DataStructure& dsd) : names_(names), dsd_(&dsd) {}

  // The name of component `id` (a dimension, the time dimension, the
  // measure or an attribute). The time dimension and the measure, which the
  // model keeps by id, are looked up in the scheme of the DSD's concepts.
  std::string Concept(const std::string& id) const;
  // The name of `value` in component `id`'s codelist; `value` itself when
  // the component is not coded or the code has no name.
  std::string Code(const std::string& id, const std::string& value) const;
  // The codelist of component `id`, if coded and held.
  const Codelist* CodelistOf(const std::string& id) const;

 private:
  const Component* Find(const std::string& id) const;

  const StructureSet* names_;
  const DataStructure* dsd_;
};

}  // namespace sdmx
