// FolderDrop: the folder-drop connector. Files that appear in a provider's
// inbox directory are submitted through Ingestor::Submit, then moved aside:
//
//   <root>/<PROVIDER_ID>/            the inbox of provider PROVIDER_ID
//   <root>/<PROVIDER_ID>/done/       accepted (or already submitted) files
//   <root>/<PROVIDER_ID>/rejected/   rejected files, each with
//                                    <file>.diagnostics.txt beside it
//
// The folder name is the provider id; it must name a provider of the
// directory (else the folder is ignored with a warning). The admin is never
// a folder-drop provider: whoever can write the drop root must not gain the
// right to submit structures.
//
// Candidates: regular files (not symlinks) whose name does not start with
// '.' and does not end in ".part" or ".tmp". Writers should write "x.part"
// (or "x.tmp", or ".x") and rename it to "x" when complete; a rename within
// one file system is atomic. For writers that cannot, a file is read only
// once its size and mtime have stayed unchanged for `settle`, and the read
// is discarded if the file changed while it was read: a half-written file is
// never submitted.
//
// The submission id is derived from the provider and the SHA-256 of the
// content (SubmissionIdFor), so dropping the same bytes again is a no-op,
// even across restarts (moved to done/, or to rejected/ with the earlier
// diagnostics if they were rejected). A refusal that retrying cannot cure
// (no provision agreement) rejects the file too; a failure outside the file
// (log unavailable, I/O error) leaves it in the inbox, retried at the next
// poll. Moves never overwrite: a name taken in done/ or rejected/ gets a
// numeric suffix ("feed.1.xml").
//
// One thread polls the root; Start() launches it, Stop() (or the
// destructor) joins it after the file in hand. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include "connectors/ingest.h"
#include "connectors/providers.h"
#include "hub/base/status.h"
#include "hub/base/stop_signal.h"
#include "sdmx/diagnostic.h"

namespace hub::connectors {

struct FolderDropOptions {
  // The drop root; each subfolder is a provider's inbox. Created at Start if
  // missing. Empty = the connector is off (the default).
  std::string root;
  // How often the root is scanned. Default 1 s.
  std::chrono::milliseconds poll{1'000};
  // How long a file's size and mtime must stay unchanged before it is read.
  // Longer than the longest pause of a slow writer. Default 2 s.
  std::chrono::milliseconds settle{2'000};
  // Larger files are rejected unread (moved to rejected/ with a diagnostics
  // file): the whole file is held in memory. Default 256 MiB, like
  // [http] max_body_bytes.
  int64_t max_file_bytes = int64_t{256} << 20;

  // InvalidArgument naming the first bad field.
  Status Validate() const;
};

// "drop-<provider>-<first 32 hex of SHA-256(content)>"; a provider id with
// characters a submission id cannot hold is replaced by a hash of it.
std::string SubmissionIdFor(const std::string& provider_id, std::string_view content);

class FolderDrop {
 public:
  // `ingestor` and `providers` must outlive this object.
  FolderDrop(Ingestor* ingestor, const ProviderDirectory* providers, FolderDropOptions options);
  ~FolderDrop();
  FolderDrop(const FolderDrop&) = delete;
  FolderDrop& operator=(const FolderDrop&) = delete;

  // Validates the options, creates the root and starts polling.
  Status Start();
  void Stop();

  // Completed scans of the root so far (tests wait on it).
  uint64_t scans() const { return scans_.load(std::memory_order_acquire); }
  const FolderDropOptions& options() const { return options_; }

 private:
  // What a candidate file looked like, and since when (steady clock).
  struct Seen {
    int64_t size = 0;
    int64_t mtime_ns = 0;
    std::chrono::steady_clock::time_point since;
  };

  // What to do with a file that was read.
  struct Disposition {
    enum class Where { kInbox, kDone, kRejected };
    Where where = Where::kInbox;  // kInbox: leave it, retry at the next scan
    std::string id;               // submission id; empty when not submitted
    std::string what;             // for the log: "accepted", "already submitted", ...
    sdmx::Diagnostics diagnostics;
  };

  void Run();
  void ScanOnce();
  void ScanInbox(const std::string& inbox, const Provider& provider, std::set<std::string>* present);
  // Submits one settled file and moves it; leaves it in place on retryable errors.
  void Process(const std::string& path, const Provider& provider, Seen seen);
  Disposition Submit(const std::string& path, const Provider& provider, std::string body);

  Ingestor* ingestor_;
  const ProviderDirectory* providers_;
  FolderDropOptions options_;

  std::map<std::string, Seen> seen_;      // candidate path -> last observation; poll thread only
  std::set<std::string> warned_folders_;  // unknown inboxes already logged; poll thread only
  std::string last_error_;                // of listing the root, logged once; poll thread only
  std::atomic<uint64_t> scans_{0};
  StopSignal stop_;
  std::thread thread_;
};

}  // namespace hub::connectors
