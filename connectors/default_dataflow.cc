#include "connectors/default_dataflow.h"

#include "sdmx/structure_writer.h"

namespace hub::connectors {

sdmx::Dataflow DefaultDataflow(const sdmx::DataStructure& dsd) {
  sdmx::Dataflow df;
  df.ref = dsd.ref;
  df.name = dsd.name.empty() ? dsd.ref.id : dsd.name;
  df.structure = dsd.ref;
  return df;
}

sdmx::StructureSet DefaultDataflowsFor(const sdmx::StructureSet& submitted, const sdmx::StructureSet& merged) {
  sdmx::StructureSet out;
  for (const auto& [key, dsd] : submitted.data_structures()) {
    if (!merged.DataflowsUsing(dsd.ref).empty() || merged.FindDataflow(dsd.ref)) continue;
    out.Add(DefaultDataflow(dsd));
  }
  return out;
}

std::string GeneratedStructureMessage(const sdmx::StructureSet& set) {
  sdmx::StructureWriteOptions options;
  options.message_id = "SDMXHUB-DEFAULT-DATAFLOWS";
  return sdmx::WriteStructureMl(set, options);
}

}  // namespace hub::connectors
