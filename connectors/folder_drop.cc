#include "connectors/folder_drop.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

#include "connectors/drop_files.h"
#include "hub/base/sha256.h"

namespace hub::connectors {
namespace {

namespace fs = std::filesystem;
using drop_files::MtimeNs;

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Names a writer uses while a file is incomplete are never read.
bool Candidate(const std::string& name) {
  return !name.empty() && name[0] != '.' && !EndsWith(name, ".part") && !EndsWith(name, ".tmp");
}

bool IdChars(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

// Errors that come from the file or its provider: retrying the same bytes
// cannot succeed, so the file is rejected rather than retried forever. An
// id another provider holds (AlreadyExists, not retryable) is one: it
// cannot be taken back. A busy id (retryable) is not.
bool FileIsTheProblem(const Status& s) {
  return s.code() == StatusCode::kPermissionDenied || s.code() == StatusCode::kInvalidArgument ||
         s.code() == StatusCode::kResourceExhausted || (s.code() == StatusCode::kAlreadyExists && !s.retryable());
}

}  // namespace

Status FolderDropOptions::Validate() const {
  if (root.empty()) return Status::InvalidArgument("folder_drop.dir is required");
  if (poll.count() <= 0) return Status::InvalidArgument("folder_drop.poll_ms must be > 0");
  if (settle.count() <= 0) return Status::InvalidArgument("folder_drop.settle_ms must be > 0");
  if (max_file_bytes <= 0) return Status::InvalidArgument("folder_drop.max_file_bytes must be > 0");
  if (max_name_bytes < 16 || max_name_bytes > drop_files::kMaxNameBytes) {
    return Status::InvalidArgument("folder_drop.max_name_bytes must be from 16 to " +
                                   std::to_string(drop_files::kMaxNameBytes));
  }
  return retry.Validate("folder_drop.retry_initial_ms", "folder_drop.retry_max_ms", "folder_drop.error_report_ms");
}

std::string SubmissionIdFor(const std::string& provider_id, std::string_view content) {
  // Submission ids allow [A-Za-z0-9._-] and 128 characters; a provider id
  // outside that (configs do not forbid it) is hashed so the id stays valid
  // and distinct per provider.
  const std::string who =
      IdChars(provider_id) && provider_id.size() <= 64 ? provider_id : "p" + Sha256Hex(provider_id).substr(0, 16);
  return "drop-" + who + "-" + Sha256Hex(content).substr(0, 32);
}

FolderDrop::FolderDrop(Ingestor* ingestor, const ProviderDirectory* providers, FolderDropOptions options)
    : ingestor_(ingestor), providers_(providers), options_(std::move(options)), scan_backoff_(options_.retry) {}

FolderDrop::~FolderDrop() { Stop(); }

Status FolderDrop::Start() {
  HUB_RETURN_IF_ERROR(options_.Validate());
  std::error_code ec;
  fs::create_directories(options_.root, ec);
  if (ec) return Status::IoError("folder_drop.dir " + options_.root + ": " + ec.message());
  thread_ = std::thread([this] { Run(); });
  spdlog::info("folder drop: watching {} (poll {} ms, settle {} ms)", options_.root, options_.poll.count(),
               options_.settle.count());
  return Status::Ok();
}

void FolderDrop::Stop() {
  stop_.Stop();
  if (thread_.joinable()) thread_.join();
}

void FolderDrop::Run() {
  while (!stop_.stopped()) {
    const Status scanned = ScanOnce();
    scans_.fetch_add(1, std::memory_order_release);
    std::chrono::milliseconds wait = options_.poll;
    if (scanned.ok()) {
      scan_backoff_.Succeeded();
    } else {
      // Short of descriptors or memory, or the root unreadable: the next
      // scan would fail the same way at once. Wait, and say so once per
      // interval (at the open-file limit this loop wrote a line per file
      // per poll).
      const Backoff::Next next = scan_backoff_.Failed(std::chrono::steady_clock::now());
      wait = std::max(wait, next.delay);
      if (next.report) {
        spdlog::warn("folder drop: scan stopped: {} ({} failures since the last report; next scan in {} ms)",
                     scanned.ToString(), next.report, wait.count());
      }
    }
    stop_.WaitFor(wait);
  }
}

Status FolderDrop::ScanOnce() {
  std::set<std::string> present;
  std::error_code ec;
  Status scanned;
  for (fs::directory_iterator it(options_.root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code type_ec;
    if (name.empty() || name[0] == '.' || !it->is_directory(type_ec)) continue;
    std::optional<Provider> provider = providers_->FindById(name);
    if (!provider || provider->admin) {
      if (warned_folders_.insert(name).second) {
        spdlog::warn("folder drop: ignoring {}: {} is not a provider that may drop files", it->path().string(), name);
      }
      continue;
    }
    scanned = ScanInbox(it->path().string(), *provider, &present);
    if (!scanned.ok() || stop_.stopped()) break;
  }
  if (ec) scanned = Status::Unavailable("cannot list " + options_.root + ": " + ec.message());
  if (!scanned.ok()) return scanned;  // what was not listed is not forgotten
  // Forget files that went away, so a later file of the same name settles afresh.
  for (auto it = seen_.begin(); it != seen_.end();) it = present.count(it->first) ? std::next(it) : seen_.erase(it);
  for (auto it = retry_.begin(); it != retry_.end();) it = present.count(it->first) ? std::next(it) : retry_.erase(it);
  return Status::Ok();
}

Status FolderDrop::ScanInbox(const std::string& inbox, const Provider& provider, std::set<std::string>* present) {
  const auto now = std::chrono::steady_clock::now();
  present->insert(inbox);  // keeps its back-off, if any
  if (auto r = retry_.find(inbox); r != retry_.end() && now < r->second.not_before) return Status::Ok();
  std::vector<std::pair<int64_t, std::string>> settled;  // (mtime, path)
  std::error_code ec;
  for (fs::directory_iterator it(inbox, ec), end; !ec && it != end; it.increment(ec)) {
    if (!Candidate(it->path().filename().string())) continue;
    const std::string path = it->path().string();
    struct stat st {};
    // lstat: symlinks are not candidates (they could point anywhere the hub can read).
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    present->insert(path);
    auto [s, inserted] = seen_.try_emplace(path, Seen{st.st_size, MtimeNs(st), now});
    if (!inserted && (s->second.size != st.st_size || s->second.mtime_ns != MtimeNs(st))) {
      s->second = Seen{st.st_size, MtimeNs(st), now};  // still being written: the settle time restarts
    }
    auto retry = retry_.find(path);
    if (retry != retry_.end() && now < retry->second.not_before) continue;  // backing off
    if (now - s->second.since >= options_.settle) settled.emplace_back(s->second.mtime_ns, path);
  }
  if (ec) {
    // Out of descriptors stops the scan; this inbox alone unreadable does
    // not hold up the others'.
    Status listing = drop_files::FromErrno("cannot list " + inbox, ec.value());
    if (listing.code() == StatusCode::kUnavailable) return listing;
    return Retry(inbox, "", listing);
  }
  // Oldest first: a provider that drops a revision after the initial file
  // expects them applied in that order.
  std::sort(settled.begin(), settled.end());
  for (const auto& [mtime, path] : settled) {
    if (stop_.stopped()) break;
    HUB_RETURN_IF_ERROR(Process(path, provider, seen_.at(path)));
  }
  return Status::Ok();
}

Status FolderDrop::Process(const std::string& path, const Provider& provider, Seen seen) {
  const std::string name = fs::path(path).filename().string();
  Disposition d;
  drop_files::FileRead read;
  if (name.size() > options_.max_name_bytes) {
    // Kept in the inbox it would be retried forever: its name has no room
    // for the diagnostics file (or a taken name's suffix) beside it.
    d.where = Disposition::Where::kRejected;
    d.what = "rejected (name too long)";
    d.diagnostics.Add({path, 0, "File", "max-name-bytes",
                       "the file name has " + std::to_string(name.size()) +
                           " bytes, more than folder_drop.max_name_bytes (" + std::to_string(options_.max_name_bytes) +
                           "); the file was not read: rename it and drop it again"});
  } else {
    auto r = drop_files::ReadIfUnchanged(path, seen.size, seen.mtime_ns, options_.max_file_bytes);
    if (!r.ok() && r.status().code() == StatusCode::kUnavailable) return r.status();
    if (!r.ok() && r.status().code() != StatusCode::kPermissionDenied) return Retry(path, "", r.status());
    if (!r.ok()) {  // the hub may not read it: retrying the same file cannot help
      d.where = Disposition::Where::kRejected;
      d.what = "rejected (unreadable)";
      d.diagnostics.Add({path, 0, "File", "file-readable", r.status().message()});
    } else if (r->changed) {
      seen_.erase(path);  // observed afresh at the next scan, and settles again
      return Status::Ok();
    } else if (r->too_large) {
      read = std::move(*r);
      d.where = Disposition::Where::kRejected;
      d.what = "rejected (too large)";
      d.diagnostics.Add({path, 0, "File", "max-file-bytes",
                         std::to_string(read.size) + " bytes is more than folder_drop.max_file_bytes (" +
                             std::to_string(options_.max_file_bytes) + "); the file was not read"});
    } else {
      read = std::move(*r);
      d = Submit(path, provider, std::move(read.content));
    }
  }
  if (d.where == Disposition::Where::kInbox) return Retry(path, d.id, d.failure);
  return Move(path, provider, d, read);
}

Status FolderDrop::Move(const std::string& path, const Provider& provider, const Disposition& d,
                        const drop_files::FileRead& read) {
  const std::string id = d.id.empty() ? "-" : d.id;
  if (read.ino != 0 && !drop_files::SameFile(path, read.dev, read.ino)) {
    spdlog::warn("folder drop: submission {}: {} was replaced while it was submitted; the new file is read later", id,
                 path);
    seen_.erase(path);
    return Status::Ok();
  }
  const std::string inbox = fs::path(path).parent_path().string();
  const std::string name = drop_files::ShortName(fs::path(path).filename().string(), options_.max_name_bytes);
  Result<std::string> to = std::string();
  if (d.where == Disposition::Where::kDone) {
    to = drop_files::MoveAside(path, inbox + "/done", name, nullptr);
  } else {
    const std::string text = "# " + path + " from provider " + provider.id +
                             (d.id.empty() ? "" : ", submission " + d.id) + ": rejected\n" + d.diagnostics.ToString();
    to = drop_files::MoveAside(path, inbox + "/rejected", name, &text);
  }
  if (!to.ok()) {
    // A submitted file is submitted again at the next attempt, a no-op, and the move retried.
    if (to.status().code() == StatusCode::kUnavailable) return to.status();
    return Retry(path, d.id, to.status());
  }
  seen_.erase(path);
  retry_.erase(path);
  spdlog::info("folder drop: submission {}: {} {}, moved to {}", id, path, d.what, *to);
  return Status::Ok();
}

Status FolderDrop::Retry(const std::string& path, const std::string& id, const Status& failure) {
  auto [it, inserted] = retry_.try_emplace(path, FileRetry{Backoff(options_.retry), {}});
  const auto now = std::chrono::steady_clock::now();
  const Backoff::Next next = it->second.backoff.Failed(now);
  it->second.not_before = now + next.delay;
  if (next.report) {
    spdlog::warn("folder drop: {}{} stays in the inbox, retried in {} ms ({} failures since the last report): {}",
                 id.empty() ? "" : "submission " + id + ": ", path, next.delay.count(), next.report,
                 failure.ToString());
  }
  return Status::Ok();
}

FolderDrop::Disposition FolderDrop::Submit(const std::string& path, const Provider& provider, std::string body) {
  Disposition d;
  Submission s;
  s.body = std::move(body);
  s.name = path;
  s.submission_id = SubmissionIdFor(provider.id, s.body);
  d.id = s.submission_id;
  auto receipt = ingestor_->Submit(provider, s);
  if (!receipt.ok()) {
    if (!FileIsTheProblem(receipt.status())) {
      d.failure = receipt.status();  // stays in the inbox, retried (FolderDrop::Retry logs it)
      return d;
    }
    d.where = Disposition::Where::kRejected;
    d.what = "refused";
    d.diagnostics.Add({path, 0, "Submission", "submission-refused", receipt.status().ToString()});
    return d;
  }
  switch (receipt->outcome) {
    case SubmissionOutcome::kAccepted:
      d.where = Disposition::Where::kDone;
      d.what = "accepted";
      return d;
    case SubmissionOutcome::kRejected:
      d.where = Disposition::Where::kRejected;
      d.what = "rejected (" + std::to_string(receipt->diagnostics.count()) + " diagnostics)";
      d.diagnostics = std::move(receipt->diagnostics);
      return d;
    case SubmissionOutcome::kDuplicate:
      break;
  }
  // The same bytes again. If they were rejected before, they still are: the
  // provider must find them in rejected/, with the reasons, not in done/.
  const sdmxhub::events::v1::SubmissionMarker& earlier = receipt->earlier.marker();
  if (earlier.status() == sdmxhub::events::v1::STATUS_REJECTED) {
    d.where = Disposition::Where::kRejected;
    d.what = "rejected before";
    for (const auto& p : earlier.diagnostics()) {
      d.diagnostics.Add({p.file(), p.line(), p.element(), p.rule(), p.message()});
    }
    d.diagnostics.Add(
        {path, 0, "File", "already-rejected", "the same content was rejected before as submission " + d.id});
    return d;
  }
  d.where = Disposition::Where::kDone;
  d.what = "already submitted";
  return d;
}

}  // namespace hub::connectors
