#include "storage/keys.h"

namespace hub::storage {

void PutFixed32BE(std::string* out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out->push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}

void PutFixed64BE(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}

uint32_t DecodeFixed32BE(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

uint64_t DecodeFixed64BE(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void PutVarint64(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint64(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    uint64_t byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    result |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *v = result;
      return true;
    }
  }
  return false;
}

std::string FlowPrefix(std::string_view flow) {
  std::string k(flow);
  k += '\0';
  return k;
}

std::string ObsSeriesPrefix(std::string_view flow, std::string_view series_key) {
  std::string k = FlowPrefix(flow);
  k += series_key;
  k += '\0';
  return k;
}

std::string ObsKeyPrefix(std::string_view flow, std::string_view series_key, std::string_view period) {
  std::string k = ObsSeriesPrefix(flow, series_key);
  k += period;
  k += '\0';
  return k;
}

std::string ObsKey(std::string_view flow, std::string_view series_key, std::string_view period, uint64_t seq) {
  std::string k = ObsKeyPrefix(flow, series_key, period);
  PutFixed64BE(&k, ~seq);
  return k;
}

std::string_view ObsSeriesOf(std::string_view obs_key) {
  const size_t flow_end = obs_key.find('\0');
  if (flow_end == std::string_view::npos) return {};
  const size_t series_end = obs_key.find('\0', flow_end + 1);
  if (series_end == std::string_view::npos) return {};
  return obs_key.substr(0, series_end + 1);
}

bool ParseObsKey(std::string_view key, ObsKeyParts* out) {
  if (key.size() < 8 + 3) return false;
  out->seq = ~DecodeFixed64BE(key.data() + key.size() - 8);
  std::string_view head = key.substr(0, key.size() - 8);
  if (head.back() != '\0') return false;
  head.remove_suffix(1);
  size_t a = head.find('\0');
  if (a == std::string_view::npos) return false;
  size_t b = head.find('\0', a + 1);
  if (b == std::string_view::npos) return false;
  out->flow = head.substr(0, a);
  out->series_key = head.substr(a + 1, b - a - 1);
  out->period = head.substr(b + 1);
  return true;
}

std::string SeriesPrefix(std::string_view flow, std::string_view series_key) {
  return ObsSeriesPrefix(flow, series_key);
}

std::string SeriesKey(std::string_view flow, std::string_view series_key, uint64_t seq) {
  std::string k = SeriesPrefix(flow, series_key);
  PutFixed64BE(&k, ~seq);
  return k;
}

uint64_t SeriesKeySeq(std::string_view key) {
  return key.size() < 8 ? 0 : ~DecodeFixed64BE(key.data() + key.size() - 8);
}

std::string SeqKey(uint64_t seq) {
  std::string k;
  PutFixed64BE(&k, seq);
  return k;
}

uint64_t ParseSeqKey(std::string_view key) { return key.size() == 8 ? DecodeFixed64BE(key.data()) : 0; }

std::string OffsetKey(const std::string& topic, int32_t partition) {
  std::string k = "offset/" + topic;
  k += '\0';
  PutFixed32BE(&k, static_cast<uint32_t>(partition));
  return k;
}

std::string AppliedTimeKey(std::string_view submission_id) {
  std::string k = "applied/";
  k += submission_id;
  return k;
}

std::string SentPrefix(uint64_t seq) {
  std::string k = "sent/";
  PutFixed64BE(&k, seq);
  return k;
}

std::string EarlyPrefix(uint64_t seq) {
  std::string k = "early/";
  PutFixed64BE(&k, seq);
  return k;
}

std::string ChainKey(uint64_t seq) {
  std::string k = kChainPrefix;
  PutFixed64BE(&k, seq);
  return k;
}

std::string HeldMarkerKey(std::string_view submission_id) {
  std::string k = kHeldMarkerPrefix;
  k += submission_id;
  return k;
}

std::string HeldEventPrefix(std::string_view submission_id) {
  // The id ends in a NUL: no id is a prefix of another's events.
  std::string k = "held/e/";
  k += submission_id;
  k += '\0';
  return k;
}

std::string HeldEventEnd(std::string_view submission_id) {
  std::string k = HeldEventPrefix(submission_id);
  k.back() = '\1';
  return k;
}

std::string ChangeKey(uint64_t seq, uint32_t part) {
  std::string k = SeqKey(seq);
  if (part > 0) PutFixed32BE(&k, part);
  return k;
}

uint64_t ParseSeqPrefix(std::string_view key) { return key.size() >= 8 ? DecodeFixed64BE(key.data()) : 0; }

std::string SkippedRecordKey(const std::string& topic, int32_t partition, int64_t offset) {
  std::string k = kSkippedRecordPrefix;
  k += topic;
  k += '/';
  PutFixed32BE(&k, static_cast<uint32_t>(partition));
  PutFixed64BE(&k, static_cast<uint64_t>(offset));
  return k;
}

std::string ConnectorMetaKey(std::string_view name) {
  std::string k = "connector/";
  k += name;
  return k;
}

}  // namespace hub::storage
