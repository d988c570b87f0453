#include "storage/event_log.h"

namespace hub::storage {

int32_t PartitionForKey(std::string_view key, int32_t partitions) {
  uint32_t h = 2166136261u;
  for (unsigned char c : key) {
    h ^= c;
    h *= 16777619u;
  }
  return static_cast<int32_t>(h % static_cast<uint32_t>(partitions));
}

}  // namespace hub::storage
