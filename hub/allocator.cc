// Which malloc the hub runs on, and with what settings. Measured with
// tests/bench/ingest_bench.sh (2M observations of generic SDMX-ML 2.1,
// submit -> committed, 2 cores): glibc's malloc spent about a third of the
// hub's CPU in arena locks (two arenas, below), chunk unlinking and
// consolidation; jemalloc did the same work in 0.6-0.7 of the CPU time.
#include "hub/allocator.h"

#ifdef HUB_JEMALLOC

// Read by jemalloc at its first allocation; the environment's MALLOC_CONF
// is applied after it (so an operator can change any of it). Freed pages go
// back to the system after a second rather than jemalloc's default of ten,
// by a background thread rather than inside the threads that free: a large
// submission frees its chunks continuously, and the hub's peak RSS is
// bounded (README, "Memory").
extern "C" {
// NOLINTNEXTLINE: the name is jemalloc's.
const char* malloc_conf = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}

namespace hub {
void TuneAllocator() {}
}  // namespace hub

#else

#include <malloc.h>

namespace hub {
void TuneAllocator() {
  // glibc gives each thread that allocates its own arena (up to 8 per core):
  // a large submission's buffers, freed on one thread and taken again on
  // another, then pile up across arenas. Two are enough for the few
  // threads that allocate much (upload worker, materialiser).
  mallopt(M_ARENA_MAX, 2);
  // Blocks of 256 KiB and more (RocksDB's memtable arenas, a chunk's
  // buffers) are mapped and unmapped on their own: glibc otherwise raises
  // this threshold to the largest block freed, and later ones come from the
  // heap, where freed memory stays resident.
  mallopt(M_MMAP_THRESHOLD, 256 << 10);
}
}  // namespace hub

#endif
