// PulledChanges: the part of a pulled SDMX data message that would change
// this hub.
//
// A REST pull gets more than what changed since it last succeeded (its
// overlap; a full first pull; an SDMX answer restating whole series), and
// the remote answers "changed" for what changed there, not here. Submitted
// as they are, unchanged observations write no revision (the materialiser
// skips equal values) but each pull would still commit: an empty entry in
// the ledger and in the commit list, noise that auditors read. So the
// message is compared with the local latest state first, and only what
// differs is kept; when nothing does, nothing is submitted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/status.h"
#include "sdmx/data_reader.h"
#include "sdmx/model.h"
#include "storage/state.h"

namespace hub::connectors {

struct PulledDataSet {
  sdmx::Action action = sdmx::Action::kReplace;
  std::vector<sdmx::Series> series;
};

struct PulledChanges {
  sdmx::ArtefactRef dataflow;           // as this hub knows it (version resolved)
  std::vector<PulledDataSet> datasets;  // what differs, in message order; never an empty one
  int64_t received_series = 0;
  int64_t received_observations = 0;
  int64_t upserts = 0;    // observations kept to add or revise
  int64_t deletions = 0;  // deletions kept (of observations, attributes or whole series)
  // SHA-256 (hex) over the kept changes and the local revisions they
  // replace: equal for a retry of the same pull on the same local state,
  // different for the same values arriving on another state (A->B, then
  // B->A, then A->B again is three changes). Names the submission.
  std::string content_sha256;

  bool empty() const { return datasets.empty(); }
  // The kept changes as one SDMX-ML 2.1 structure-specific message, a
  // DataSet per action.
  std::string Message(const sdmx::DataStructure& dsd) const;
};

// Reads `body` (named `name` in diagnostics) and keeps what differs from
// `state` at its watermark, per observation:
//  - Replace, Append: absent or deleted here, or another value, or other
//    attributes (compared as sets: their order is the message's). A series
//    whose attributes differ is kept whole: they travel only with it.
//  - Merge: likewise, comparing only the components the message gives.
//  - Delete: deletions of what is live here (observations, their or the
//    series' attributes, whole series).
//  - Information: nothing.
// Errors: InvalidArgument when the body cannot be read (with its first
// diagnostics) or holds another dataflow than `want`; NotFound when this hub
// does not know `want`.
Result<PulledChanges> DiffPulled(std::string_view body, const std::string& name, const sdmx::StructureSet& structures,
                                 const sdmx::ArtefactRef& want, const storage::VersionedState& state,
                                 const sdmx::DataReaderOptions& reader_options);

}  // namespace hub::connectors
