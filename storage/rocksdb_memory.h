// The memory a RocksDB instance of the hub may hold, bounded explicitly:
// RocksDB's defaults (64 MiB per memtable per column family, two of them,
// and its own block cache) would let the state (seven families) and the
// embedded log grow to several hundred MB while a large submission is
// written. Both stores take these options.
#pragma once

#include <cstddef>
#include <initializer_list>

namespace rocksdb {
struct DBOptions;
struct ColumnFamilyOptions;
}  // namespace rocksdb

namespace hub::storage {

struct RocksMemoryOptions {
  // Memtables of all column families together (a write buffer manager
  // flushes the largest when they reach it). Default 32 MiB.
  size_t memtable_bytes = size_t{32} << 20;
  // The block cache (shared by the families). Default 16 MiB.
  size_t block_cache_bytes = size_t{16} << 20;
};

// Sets `db` and each of `families` to keep within `memory`.
void BoundMemory(const RocksMemoryOptions& memory, rocksdb::DBOptions* db,
                 std::initializer_list<rocksdb::ColumnFamilyOptions*> families);

}  // namespace hub::storage
