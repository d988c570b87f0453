// What can still be read of a log record that does not decode as an
// Envelope (a proto3 string field holding invalid UTF-8 fails the whole
// parse; a foreign or damaged record fails anywhere): its kind and the
// submission and attempt it belongs to, and for a marker what the
// materialiser needs to close the attempt (provider, time, counts). Read
// from the wire format alone, field by field, so that one bad field does
// not hide the others. Every string comes back as valid UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "storage/events.pb.h"

namespace hub::storage {

struct PeekedRecord {
  enum class Kind { kData, kStructure, kMarker, kChunk };
  Kind kind = Kind::kData;
  std::string submission_id;
  std::string attempt_id;
  // For a marker: what could be read of it (ids, provider, kind, dataflow,
  // accepted time, counts, status); its other fields are left out.
  sdmxhub::events::v1::SubmissionMarker marker;
};

// nullopt when not even the kind and the submission and attempt ids can be
// read: the record belongs to nobody.
std::optional<PeekedRecord> PeekRecord(std::string_view bytes);

}  // namespace hub::storage
