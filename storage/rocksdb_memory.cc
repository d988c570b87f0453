#include "storage/rocksdb_memory.h"

#include <rocksdb/cache.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_buffer_manager.h>

namespace hub::storage {

void BoundMemory(const RocksMemoryOptions& memory, rocksdb::DBOptions* db,
                 std::initializer_list<rocksdb::ColumnFamilyOptions*> families) {
  db->write_buffer_manager = std::make_shared<rocksdb::WriteBufferManager>(memory.memtable_bytes);
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(memory.block_cache_bytes);
  // Index and filter blocks in the cache too: held outside it, they grow
  // with every table file written (a large submission writes many).
  table.cache_index_and_filter_blocks = true;
  // Not pinned: pinned blocks are held beyond the cache's capacity, and a
  // large submission makes many level-0 files.
  table.pin_l0_filter_and_index_blocks_in_cache = false;
  std::shared_ptr<rocksdb::TableFactory> factory(rocksdb::NewBlockBasedTableFactory(table));
  for (rocksdb::ColumnFamilyOptions* cf : families) {
    // One memtable may take half the budget: a large write is flushed in a
    // few steps, not one per small memtable.
    cf->write_buffer_size = memory.memtable_bytes / 2;
    cf->max_write_buffer_number = 2;
    cf->table_factory = factory;
  }
}

}  // namespace hub::storage
