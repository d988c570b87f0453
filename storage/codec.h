// Conversions between the SDMX model (sdmx/) and the protobuf events and
// state records (events.proto, state.proto).
#pragma once

#include <string>

#include "sdmx/model.h"
#include "storage/events.pb.h"

namespace hub::storage {

namespace ev = sdmxhub::events::v1;

ev::ArtefactRef ToProto(const sdmx::ArtefactRef& ref);
sdmx::ArtefactRef FromProto(const ev::ArtefactRef& ref);
ev::Action ToProto(sdmx::Action a);
sdmx::Action FromProto(ev::Action a);
void ToProto(const sdmx::Fields& in, google::protobuf::RepeatedPtrField<ev::Field>* out);
sdmx::Fields FromProto(const google::protobuf::RepeatedPtrField<ev::Field>& in);

// Whether a dataflow filter as the APIs take it ("ID", "AGENCY:ID" or
// "AGENCY:ID(VERSION)"; empty = any) selects `flow`. A ref with no id (a
// structure submission) matches only the empty filter.
bool FlowFilterMatches(const std::string& want, const ev::ArtefactRef& flow);

// The record key of a data event: flow and series key, so that one series
// always goes to one partition and keeps its order.
std::string DataRecordKey(const std::string& flow, const std::string& series_key);

// Whether a marker embargoes its submission: data, with a release time
// after its load time (an earlier one is no embargo). The materialiser
// holds such a submission until its ReleaseMarker.
inline bool Embargoed(const ev::SubmissionMarker& m) {
  return m.kind() == "data" && m.release_time_ms() > m.accepted_time_ms();
}

// Envelope serialisation with the current schema version. 2: EventChunk
// (an event in pieces); a hub of version 1 stops at such a record instead
// of skipping what it cannot read. 3: embargoes (SubmissionMarker's
// release_time_ms, ReleaseMarker); a hub of version 2 stops at a release,
// but would apply an embargoed submission at once: run one version at a time.
// 4: events appended before their verdict (DataEvent.apply_before_marker,
// AbandonedAttempt); a hub of version 3 stops at an abandoned attempt.
inline constexpr uint32_t kSchemaVersion = 4;
std::string Serialize(ev::Envelope* envelope);
// The same into *out (its capacity reused: no allocation per event).
void SerializeTo(ev::Envelope* envelope, std::string* out);

}  // namespace hub::storage
