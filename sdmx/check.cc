#include "sdmx/check.h"

#include <map>
#include <memory>

#include "sdmx/validator.h"

namespace sdmx {

hub::Status CheckMessage(std::string_view buffer, const std::string& file, const StructureSet& structures,
                         const DataReaderOptions& options, Diagnostics* diags, CheckCounts* counts,
                         const std::function<void(const DataReader&)>& on_series) {
  CheckCounts local;
  CheckCounts& c = counts ? *counts : local;
  HUB_ASSIGN_OR_RETURN(auto reader, DataReader::Open(buffer, file, structures, options, diags));
  std::map<const DataStructure*, std::unique_ptr<Validator>> validators;
  for (; reader->Valid(); reader->Next()) {
    auto& v = validators[&reader->structure()];
    if (!v) v = std::make_unique<Validator>(reader->structure(), structures, file);
    v->Validate(reader->series(), reader->dataset().action, diags);
    ++c.series;
    c.observations += reader->series().observations.size();
    if (on_series) on_series(*reader);
  }
  return reader->status();
}

}  // namespace sdmx
