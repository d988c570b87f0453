// The process's memory allocator, set up once at the start of main.
#pragma once

namespace hub {

// glibc's malloc (a build without jemalloc, e.g. with sanitizers): bounds
// its arenas. With jemalloc (the default build): nothing to do, its
// settings are compiled in (allocator.cc) and MALLOC_CONF overrides them.
void TuneAllocator();

}  // namespace hub
