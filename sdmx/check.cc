#include "sdmx/check.h"

#include <map>
#include <memory>

#include "sdmx/validator.h"

namespace sdmx {

namespace {

// `Input`: std::string_view or const hub::ArrivingBytes* (DataReader::Open).
template <typename Input>
hub::Status Check(Input input, const std::string& file, const StructureSet& structures,
                  const DataReaderOptions& options, Diagnostics* diags, CheckCounts* counts,
                  const std::function<void(const DataReader&)>& on_series) {
  CheckCounts local;
  CheckCounts& c = counts ? *counts : local;
  HUB_ASSIGN_OR_RETURN(auto reader, DataReader::Open(input, file, structures, options, diags));
  // One per DSD and dataflow: constraints attach to dataflows.
  std::map<std::pair<const DataStructure*, std::string>, std::unique_ptr<Validator>> validators;
  for (; reader->Valid(); reader->Next()) {
    const std::optional<ArtefactRef>& flow = reader->dataset().dataflow;
    auto& v = validators[{&reader->structure(), flow ? flow->ToString() : ""}];
    if (!v) {
      ValidatorOptions vo;
      vo.dataflow = flow;
      v = std::make_unique<Validator>(reader->structure(), structures, file, vo);
    }
    v->Validate(reader->series(), reader->dataset().action, diags);
    ++c.series;
    c.observations += reader->series().observations.size();
    if (on_series) on_series(*reader);
  }
  for (auto& [unused, v] : validators) HUB_RETURN_IF_ERROR(v->Finish(diags));
  return reader->status();
}

}  // namespace

hub::Status CheckMessage(std::string_view buffer, const std::string& file, const StructureSet& structures,
                         const DataReaderOptions& options, Diagnostics* diags, CheckCounts* counts,
                         const std::function<void(const DataReader&)>& on_series) {
  return Check(buffer, file, structures, options, diags, counts, on_series);
}

hub::Status CheckMessage(const hub::ArrivingBytes* source, const std::string& file, const StructureSet& structures,
                         const DataReaderOptions& options, Diagnostics* diags, CheckCounts* counts,
                         const std::function<void(const DataReader&)>& on_series) {
  return Check(source, file, structures, options, diags, counts, on_series);
}

}  // namespace sdmx
