// Default dataflows: data must be reported for a dataflow, yet national SDG
// platforms and the global SDG DSD file publish DSDs that no dataflow uses,
// and their data messages cite only the DSD. Rather than make every agency
// hand-write a structure message first, the hub gives each such DSD a
// dataflow of its own:
//
//   the default dataflow of DSD AGENCY:ID(VERSION) is the dataflow
//   AGENCY:ID(VERSION) (same agency, id and version; dataflows and DSDs are
//   apart in SDMX), named like the DSD, using exactly that DSD.
//
// It is created when the DSD is registered (a structure submission holding
// a DSD that no dataflow uses, counting those already registered and those
// in the same message): the submission then carries a second structure
// event with the generated Dataflow, so that it travels the log, commits
// with the DSD and comes back on replay, and `/dataflow` queries list it at
// once (an admin can grant it in a ProvisionAgreement before any data).
// A DSD whose dataflow arrives later keeps its default one: data citing
// only the DSD is then ambiguous and refused with both named (name one in
// the message header). Providers report to it like to any dataflow:
// `AGENCY:ID` in configs/ or an agreement.
#pragma once

#include <string>

#include "sdmx/model.h"

namespace hub::connectors {

// The default dataflow of `dsd` (see above).
sdmx::Dataflow DefaultDataflow(const sdmx::DataStructure& dsd);

// The default dataflows to create for the DSDs `submitted` holds, given
// `merged` (what is registered with `submitted` merged in): one per DSD
// that no dataflow of `merged` uses and whose default dataflow's reference
// is not taken by another dataflow. Empty when there are none.
sdmx::StructureSet DefaultDataflowsFor(const sdmx::StructureSet& submitted, const sdmx::StructureSet& merged);

// A structure message holding `set`, written deterministically (a fixed
// header), so that what the log carries depends only on the structures.
std::string GeneratedStructureMessage(const sdmx::StructureSet& set);

}  // namespace hub::connectors
