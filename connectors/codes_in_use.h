// Codes in use: a structure submission that takes codes out of a codelist
// (or points a DSD component at a codelist without them) while stored data
// uses them would leave that data outside the structures the hub serves,
// and the agency's next dataset repeating those codes refused. Ingest
// refuses such a submission with the codes and how many observations use
// them, unless the admin forces it (Submission::force): then the
// observations stay stored and served exactly as they are (nothing is ever
// rewritten or deleted), carrying codes the served codelist no longer
// lists, and new data using those codes is refused like any unknown code.
#pragma once

#include <string>
#include <vector>

#include "hub/base/status.h"
#include "sdmx/model.h"
#include "storage/state.h"

namespace hub::connectors {

struct CodeInUse {
  std::string dataflow;      // AGENCY:ID(VERSION)
  std::string component;     // dimension or attribute id
  std::string code;
  std::string codelist;      // the codelist the component would have, which lacks it
  int64_t observations = 0;  // live observations using it (an attribute of a series: all of the series')
};

// The codes that live data of `state` (at its watermark) uses and that
// `after` (the registered structures with a submission merged in) no longer
// allows where `before` (the registered ones) did. Only components whose
// codelist changed are looked at, and only the dataflows having one are
// scanned. Ordered by dataflow, component, code.
Result<std::vector<CodeInUse>> CodesNoLongerAllowed(const storage::VersionedState& state,
                                                    const sdmx::StructureSet& before,
                                                    const sdmx::StructureSet& after);

}  // namespace hub::connectors
