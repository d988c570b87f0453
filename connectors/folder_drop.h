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
// diagnostics if they were rejected). What retrying cannot cure rejects the
// file too, with the reason: a refusal (no provision agreement, an id
// another provider holds), a file the hub may not read, a name longer than
// max_name_bytes (moved under a shortened name). A failure outside the file
// (log unavailable, a move that fails, an I/O error) leaves it in the
// inbox, retried after a back-off that doubles per failure (`retry`); when
// the hub itself is short of descriptors or memory (EMFILE, ENFILE, ENOMEM,
// ENOSPC) the whole scan backs off the same way. Failures are logged at
// most once per `retry.report_every`, with their count. Moves never
// overwrite: a name taken in done/ or rejected/ gets a numeric suffix
// ("feed.1.xml").
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

#include "connectors/drop_files.h"
#include "connectors/ingest.h"
#include "connectors/providers.h"
#include "hub/base/backoff.h"
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
  // Longer file names (bytes) are rejected unread (moved to rejected/ under
  // a shortened name, with the reason). At most, and by default, 234: a
  // 255-byte name must still hold a taken name's ".9999" and the
  // ".diagnostics.txt" beside it.
  size_t max_name_bytes = 234;
  // Back-off of a file that failed for a reason outside it, and of the
  // whole scan when listing or opening fails for lack of descriptors or
  // memory; failures are logged at most once per report_every, counted
  // ([folder_drop] retry_initial_ms, retry_max_ms, error_report_ms).
  // Defaults 1 s doubling to 60 s; a report every 10 s.
  BackoffOptions retry{std::chrono::milliseconds(1'000), std::chrono::milliseconds(60'000),
                       std::chrono::milliseconds(10'000)};

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
    Where where = Where::kInbox;  // kInbox: leave it, retry after a back-off
    std::string id;               // submission id; empty when not submitted
    std::string what;             // for the log: "accepted", "already submitted", ...
    sdmx::Diagnostics diagnostics;
    Status failure;               // kInbox: why
  };

  // A file that failed: when it may be tried again.
  struct FileRetry {
    Backoff backoff;
    std::chrono::steady_clock::time_point not_before;
  };

  void Run();
  // Non-OK (Unavailable) when the scan stopped for a reason every file
  // would share (out of descriptors, a listing failed): Run backs off.
  Status ScanOnce();
  Status ScanInbox(const std::string& inbox, const Provider& provider, std::set<std::string>* present);
  // Submits one settled file and moves it; leaves it in place, backing
  // off, on retryable errors.
  Status Process(const std::string& path, const Provider& provider, Seen seen);
  Disposition Submit(const std::string& path, const Provider& provider, std::string body);
  // Moves a file that is done with to done/ or rejected/ (`read`: what was
  // read of it, to check it is the same file; ino 0 = not read).
  Status Move(const std::string& path, const Provider& provider, const Disposition& d,
              const drop_files::FileRead& read);
  // Leaves `path` (a file, or an inbox that could not be listed) alone
  // until its back-off passes; logs at most once per report interval.
  // `id`: the file's submission id, empty when it was not submitted.
  Status Retry(const std::string& path, const std::string& id, const Status& failure);

  Ingestor* ingestor_;
  const ProviderDirectory* providers_;
  FolderDropOptions options_;

  std::map<std::string, Seen> seen_;      // candidate path -> last observation; poll thread only
  std::set<std::string> warned_folders_;  // unknown inboxes already logged; poll thread only
  std::map<std::string, FileRetry> retry_;  // files that failed, by path; poll thread only
  Backoff scan_backoff_;                    // of scans that failed; poll thread only
  std::atomic<uint64_t> scans_{0};
  StopSignal stop_;
  std::thread thread_;
};

}  // namespace hub::connectors
