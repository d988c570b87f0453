// DuplicateRuns: finds repeated (series key, period) hashes among more
// observations than the Validator keeps in memory. Entries gather in a
// buffer of `buffer_bytes`; a full buffer is sorted and written as a run to
// an unnamed file; Finish merges the runs (a cursor of 64 KiB per run) and
// reports every entry whose hash an earlier entry of the message had. So
// the memory stays bounded whatever the message size, and a message that
// fits in the buffer touches no file. Not thread-safe; one per Validator.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hub/base/status.h"

namespace sdmx {

class DuplicateRuns {
 public:
  struct Entry {
    uint64_t hash;    // of the series key and the period
    uint32_t series;  // index of its series in the message: orders the entries
    uint32_t line;    // of the observation (0: the format has none)
  };

  // `dir`: where the file goes (empty: the system's temporary directory).
  DuplicateRuns(std::string dir, size_t buffer_bytes);
  ~DuplicateRuns();
  DuplicateRuns(const DuplicateRuns&) = delete;
  DuplicateRuns& operator=(const DuplicateRuns&) = delete;

  hub::Status Add(const Entry& e);
  // Calls `repeated` for each entry that repeats the hash of an earlier
  // one (by series, then line), in hash order. Once.
  hub::Status Finish(const std::function<void(const Entry&)>& repeated);

 private:
  hub::Status WriteRun();

  std::string dir_;
  size_t buffer_entries_;
  std::vector<Entry> buffer_;
  int fd_ = -1;
  std::vector<std::pair<uint64_t, uint64_t>> runs_;  // (first entry, entries) in the file
};

}  // namespace sdmx
