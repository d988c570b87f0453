#include "storage/codec.h"

namespace hub::storage {

ev::ArtefactRef ToProto(const sdmx::ArtefactRef& ref) {
  ev::ArtefactRef out;
  out.set_agency(ref.agency);
  out.set_id(ref.id);
  out.set_version(ref.version);
  return out;
}

sdmx::ArtefactRef FromProto(const ev::ArtefactRef& ref) { return {ref.agency(), ref.id(), ref.version()}; }

bool FlowFilterMatches(const std::string& want, const ev::ArtefactRef& flow) {
  if (want.empty()) return true;
  if (flow.id().empty()) return false;
  if (want == flow.id()) return true;
  const std::string agency_id = flow.agency() + ":" + flow.id();
  return want == agency_id || want == agency_id + "(" + flow.version() + ")";
}

ev::Action ToProto(sdmx::Action a) {
  switch (a) {
    case sdmx::Action::kInformation: return ev::ACTION_INFORMATION;
    case sdmx::Action::kAppend: return ev::ACTION_APPEND;
    case sdmx::Action::kReplace: return ev::ACTION_REPLACE;
    case sdmx::Action::kMerge: return ev::ACTION_MERGE;
    case sdmx::Action::kDelete: return ev::ACTION_DELETE;
  }
  return ev::ACTION_UNSPECIFIED;
}

sdmx::Action FromProto(ev::Action a) {
  switch (a) {
    case ev::ACTION_INFORMATION: return sdmx::Action::kInformation;
    case ev::ACTION_APPEND: return sdmx::Action::kAppend;
    case ev::ACTION_MERGE: return sdmx::Action::kMerge;
    case ev::ACTION_DELETE: return sdmx::Action::kDelete;
    default: return sdmx::Action::kReplace;
  }
}

void ToProto(const sdmx::Fields& in, google::protobuf::RepeatedPtrField<ev::Field>* out) {
  for (const auto& f : in) {
    ev::Field* p = out->Add();
    p->set_id(f.id);
    p->set_value(f.value);
  }
}

sdmx::Fields FromProto(const google::protobuf::RepeatedPtrField<ev::Field>& in) {
  sdmx::Fields out;
  out.reserve(in.size());
  for (const auto& f : in) out.push_back({f.id(), f.value()});
  return out;
}

std::string DataRecordKey(const std::string& flow, const std::string& series_key) {
  return flow + "/" + series_key;
}

std::string Serialize(ev::Envelope* envelope) {
  std::string out;
  SerializeTo(envelope, &out);
  return out;
}

void SerializeTo(ev::Envelope* envelope, std::string* out) {
  envelope->set_schema_version(kSchemaVersion);
  out->clear();
  envelope->AppendToString(out);
}

}  // namespace hub::storage
