// Events larger than one record of the log: split into EventChunk pieces
// when appended, joined again when read (events.proto, EventChunk).
//
// Kafka refuses a record above the topic's max.message.bytes (about 1 MB by
// default) and real structure messages run to several MB; a data event of a
// long series can too. The log tells its limit (EventLog::MaxRecordBytes);
// AppendEvent splits what does not fit, and the marker counts every piece,
// so a submission applies only with all of them (Materialiser).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "hub/base/status.h"
#include "storage/event_log.h"
#include "storage/events.pb.h"

namespace hub::storage {

// Bytes a record needs beside its piece of the event: the EventChunk's own
// fields (two ids, index, count, tags) and the log's record and batch
// headers (Kafka's record batch: 61 bytes, a record: under 30). Generous:
// a piece a little smaller than it could be costs nothing.
inline constexpr size_t kChunkOverheadBytes = 1024;

// Appends `envelope` (an encoded Envelope holding a DataEvent or a
// StructureEvent of the given submission and attempt) to topic/partition
// under `key`: as one record when key and value fit in `max_record_bytes`,
// else as EventChunk pieces that each fit. Returns the records appended
// (what the marker counts). InvalidArgument when the limit leaves no room
// for a piece (below key size + 2 x kChunkOverheadBytes).
Result<int64_t> AppendEvent(LogWriter* writer, const std::string& topic, int32_t partition, std::string_view key,
                            std::string_view envelope, const std::string& submission_id,
                            const std::string& attempt_id, size_t max_record_bytes);

// Joins the pieces of one attempt's events as they are read, per partition:
// the pieces of an event come one after another among the attempt's records
// on its partition.
class ChunkJoiner {
 public:
  // The next piece of the attempt read on `tp` at `offset`. Returns the
  // whole event (an encoded Envelope) once its last piece is in, nullopt
  // before. Corruption, naming the record, for a piece out of place.
  Result<std::optional<std::string>> Add(const TopicPartition& tp, int64_t offset,
                                         const sdmxhub::events::v1::EventChunk& piece);
  // A whole (unchunked) event of the attempt read on `tp` at `offset`:
  // Corruption when it cuts into an event still being joined there.
  Status Whole(const TopicPartition& tp, int64_t offset) const;
  // Which event is missing pieces, or "" when none is half joined.
  std::string Unfinished() const;
  // Forgets what is half joined on every partition.
  void Clear() { open_.clear(); }

 private:
  struct Joining {
    int32_t count = 0;
    int32_t next = 0;
    int64_t first_offset = 0;
    std::string bytes;
  };
  std::map<TopicPartition, Joining> open_;
};

}  // namespace hub::storage
