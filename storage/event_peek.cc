#include "storage/event_peek.h"

#include <google/protobuf/unknown_field_set.h>

#include "hub/base/utf8.h"

namespace hub::storage {
namespace {

namespace ev = sdmxhub::events::v1;
using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

constexpr size_t kMaxPeekedString = 512;  // ids and names: longer is not ours

// The last length-delimited field `number` of `set` as text, or "".
std::string Text(const UnknownFieldSet& set, int number) {
  std::string out;
  for (int i = 0; i < set.field_count(); ++i) {
    const UnknownField& f = set.field(i);
    if (f.number() == number && f.type() == UnknownField::TYPE_LENGTH_DELIMITED) {
      out = ToValidUtf8(f.length_delimited(), kMaxPeekedString);
    }
  }
  return out;
}

uint64_t Varint(const UnknownFieldSet& set, int number) {
  uint64_t out = 0;
  for (int i = 0; i < set.field_count(); ++i) {
    if (set.field(i).number() == number && set.field(i).type() == UnknownField::TYPE_VARINT) out = set.field(i).varint();
  }
  return out;
}

void PeekMarker(const UnknownFieldSet& m, ev::SubmissionMarker* out) {
  out->set_submission_id(Text(m, 1));
  out->set_attempt_id(Text(m, 2));
  out->set_provider(Text(m, 3));
  out->set_kind(Text(m, 4));
  out->set_accepted_time_ms(static_cast<int64_t>(Varint(m, 6)));
  out->set_status(static_cast<ev::SubmissionStatus>(Varint(m, 8)));
  for (int i = 0; i < m.field_count(); ++i) {
    const UnknownField& f = m.field(i);
    if (f.type() != UnknownField::TYPE_LENGTH_DELIMITED) continue;
    UnknownFieldSet inner;
    if (!inner.ParseFromString(f.length_delimited())) continue;
    if (f.number() == 5) {  // dataflow
      out->mutable_dataflow()->set_agency(Text(inner, 1));
      out->mutable_dataflow()->set_id(Text(inner, 2));
      out->mutable_dataflow()->set_version(Text(inner, 3));
    } else if (f.number() == 7) {  // counts
      ev::PartitionCount* c = out->add_counts();
      c->set_topic(Text(inner, 1));
      c->set_partition(static_cast<int32_t>(Varint(inner, 2)));
      c->set_events(static_cast<int64_t>(Varint(inner, 3)));
    }
  }
}

}  // namespace

std::optional<PeekedRecord> PeekRecord(std::string_view bytes) {
  UnknownFieldSet envelope;
  if (!envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return std::nullopt;
  for (int i = 0; i < envelope.field_count(); ++i) {
    const UnknownField& f = envelope.field(i);
    // Envelope: 2 data, 3 structure, 4 marker, 5 a piece of an event (events.proto).
    if (f.type() != UnknownField::TYPE_LENGTH_DELIMITED || f.number() < 2 || f.number() > 5) continue;
    UnknownFieldSet event;
    if (!event.ParseFromString(f.length_delimited())) continue;
    PeekedRecord out;
    out.kind = f.number() == 2   ? PeekedRecord::Kind::kData
               : f.number() == 3 ? PeekedRecord::Kind::kStructure
               : f.number() == 4 ? PeekedRecord::Kind::kMarker
                                 : PeekedRecord::Kind::kChunk;
    out.submission_id = Text(event, 1);  // field 1 and 2 in all four
    out.attempt_id = Text(event, 2);
    if (out.kind == PeekedRecord::Kind::kMarker) PeekMarker(event, &out.marker);
    if (out.submission_id.empty() || out.attempt_id.empty()) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

}  // namespace hub::storage
