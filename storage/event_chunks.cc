#include "storage/event_chunks.h"

#include <algorithm>

#include "storage/codec.h"

namespace hub::storage {

Result<int64_t> AppendEvent(LogWriter* writer, const std::string& topic, int32_t partition, std::string_view key,
                            std::string_view envelope, const std::string& submission_id,
                            const std::string& attempt_id, size_t max_record_bytes) {
  if (key.size() + envelope.size() + kChunkOverheadBytes <= max_record_bytes) {
    HUB_RETURN_IF_ERROR(writer->Append(topic, partition, key, envelope));
    return 1;
  }
  const size_t room = key.size() + 2 * kChunkOverheadBytes;
  if (max_record_bytes < room) {
    return Status::InvalidArgument("the log's record limit on " + topic + " (" + std::to_string(max_record_bytes) +
                                   " bytes) leaves no room for a piece of an event (at least " +
                                   std::to_string(room) + " needed)");
  }
  const size_t part = max_record_bytes - key.size() - kChunkOverheadBytes;
  const size_t count = (envelope.size() + part - 1) / part;
  ev::Envelope env;
  ev::EventChunk* c = env.mutable_chunk();
  c->set_submission_id(submission_id);
  c->set_attempt_id(attempt_id);
  c->set_count(static_cast<int32_t>(count));
  std::string value;
  for (size_t i = 0; i < count; ++i) {
    c->set_index(static_cast<int32_t>(i));
    c->set_part(std::string(envelope.substr(i * part, part)));
    SerializeTo(&env, &value);
    HUB_RETURN_IF_ERROR(writer->Append(topic, partition, key, value));
  }
  return static_cast<int64_t>(count);
}

namespace {

std::string Where(const TopicPartition& tp, int64_t offset) {
  return tp.ToString() + " offset " + std::to_string(offset);
}

}  // namespace

Result<std::optional<std::string>> ChunkJoiner::Add(const TopicPartition& tp, int64_t offset,
                                                    const ev::EventChunk& piece) {
  auto it = open_.find(tp);
  const int32_t expected = it == open_.end() ? 0 : it->second.next;
  if (piece.count() < 2 || piece.index() < 0 || piece.index() >= piece.count() || piece.index() != expected ||
      (it != open_.end() && piece.count() != it->second.count)) {
    std::string want = it == open_.end() ? "the first piece of an event"
                                         : "piece " + std::to_string(expected + 1) + " of " +
                                               std::to_string(it->second.count) + " of the event begun at offset " +
                                               std::to_string(it->second.first_offset);
    return Status::Corruption("event piece at " + Where(tp, offset) + " is piece " +
                              std::to_string(piece.index() + 1) + " of " + std::to_string(piece.count()) +
                              " where " + want + " was due");
  }
  if (it == open_.end()) {
    it = open_.emplace(tp, Joining{piece.count(), 0, offset, {}}).first;
  }
  it->second.bytes += piece.part();
  if (++it->second.next < it->second.count) return std::optional<std::string>();
  std::string whole = std::move(it->second.bytes);
  open_.erase(it);
  return std::optional<std::string>(std::move(whole));
}

Status ChunkJoiner::Whole(const TopicPartition& tp, int64_t offset) const {
  auto it = open_.find(tp);
  if (it == open_.end()) return Status::Ok();
  return Status::Corruption("event at " + Where(tp, offset) + " comes between the pieces of the event begun at offset " +
                            std::to_string(it->second.first_offset) + " (" + std::to_string(it->second.next) +
                            " of " + std::to_string(it->second.count) + " pieces read)");
}

std::string ChunkJoiner::Unfinished() const {
  if (open_.empty()) return "";
  const auto& [tp, j] = *open_.begin();
  return "the event in pieces begun at " + Where(tp, j.first_offset) + " has " + std::to_string(j.next) + " of " +
         std::to_string(j.count) + " pieces";
}

}  // namespace hub::storage
