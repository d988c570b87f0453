#include "connectors/folder_drop.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "hub/base/sha256.h"

namespace hub::connectors {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxNameSuffix = 10'000;  // done/feed.1.xml ... feed.9999.xml, then give up
constexpr const char* kDiagnosticsSuffix = ".diagnostics.txt";

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

int64_t MtimeNs(const struct stat& st) { return int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec; }

// The file's content, provided it still looks as observed when it settled
// and did not change while it was read (else `changed`).
struct FileRead {
  bool changed = false;
  bool too_large = false;
  int64_t size = 0;
  std::string content;
  dev_t dev = 0;
  ino_t ino = 0;
};

Status ReadOpen(int fd, const std::string& path, int64_t size, int64_t mtime_ns, int64_t max_bytes, FileRead* out) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Status::IoError(path + ": stat: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode) || st.st_size != size || MtimeNs(st) != mtime_ns) {
    out->changed = true;
    return Status::Ok();
  }
  out->dev = st.st_dev;
  out->ino = st.st_ino;
  out->size = size;
  if (size > max_bytes) {
    out->too_large = true;
    return Status::Ok();
  }
  // One byte more than expected is asked for, to notice a file still growing.
  out->content.resize(static_cast<size_t>(size) + 1);
  size_t got = 0;
  while (got < out->content.size()) {
    const ssize_t n = ::read(fd, out->content.data() + got, out->content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError(path + ": read: " + std::strerror(errno));
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  out->content.resize(got);
  if (::fstat(fd, &st) != 0) return Status::IoError(path + ": stat: " + std::strerror(errno));
  // Rewritten in place while read (same size, new mtime) counts as changed too.
  if (got != static_cast<size_t>(size) || st.st_size != size || MtimeNs(st) != mtime_ns) out->changed = true;
  return Status::Ok();
}

Result<FileRead> ReadIfUnchanged(const std::string& path, int64_t size, int64_t mtime_ns, int64_t max_bytes) {
  FileRead out;
  // O_NOFOLLOW: a symlink swapped in after the scan must not be followed.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT || errno == ELOOP) {  // gone, or replaced by a symlink
      out.changed = true;
      return out;
    }
    return Status::IoError(path + ": open: " + std::strerror(errno));
  }
  Status status = ReadOpen(fd, path, size, mtime_ns, max_bytes, &out);
  ::close(fd);
  if (!status.ok()) return status;
  return out;
}

// `name` with `n` inserted before its extension: feed.xml -> feed.3.xml.
std::string Suffixed(const std::string& name, int n) {
  if (n == 0) return name;
  const fs::path p(name);
  return p.stem().string() + "." + std::to_string(n) + p.extension().string();
}

// rename(2) that fails with EEXIST instead of replacing `to`.
int RenameNoReplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
  // File systems without RENAME_NOREPLACE: link(2) fails on an existing name too.
  if (::link(from.c_str(), to.c_str()) != 0) return -1;
  return ::unlink(from.c_str());
}

Status WriteNew(const std::string& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status(errno == EEXIST ? StatusCode::kAlreadyExists : StatusCode::kIoError,
                  path + ": " + std::strerror(errno));
  }
  size_t put = 0;
  int err = 0;
  while (put < content.size()) {
    const ssize_t n = ::write(fd, content.data() + put, content.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      break;
    }
    put += static_cast<size_t>(n);
  }
  ::close(fd);
  if (put == content.size()) return Status::Ok();
  ::unlink(path.c_str());  // no half-written diagnostics file
  return Status::IoError(path + ": write: " + std::strerror(err));
}

// Moves `path` into `dir` (created if missing) under its own name or, when
// taken, the first free suffixed one; with `diagnostics`, writes them to
// <moved file>.diagnostics.txt first, so a crash in between leaves the file
// in the inbox (it is retried) rather than a rejected file without reasons.
// Returns where the file went.
Result<std::string> MoveAside(const std::string& path, const std::string& dir, const std::string* diagnostics) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError(dir + ": " + ec.message());
  const std::string name = fs::path(path).filename().string();
  for (int n = 0; n < kMaxNameSuffix; ++n) {
    const std::string to = dir + "/" + Suffixed(name, n);
    if (diagnostics) {
      std::error_code exists_ec;
      if (fs::exists(fs::symlink_status(to, exists_ec))) continue;
      Status w = WriteNew(to + kDiagnosticsSuffix, *diagnostics);
      if (w.code() == StatusCode::kAlreadyExists) continue;
      HUB_RETURN_IF_ERROR(w);
    }
    if (RenameNoReplace(path, to) == 0) return to;
    const int err = errno;
    if (diagnostics) ::unlink((to + kDiagnosticsSuffix).c_str());
    if (err != EEXIST) return Status::IoError("move " + path + " to " + to + ": " + std::strerror(err));
  }
  return Status::IoError("move " + path + ": no free name in " + dir);
}

// Whether `path` is still the file that was read (a writer may rename a new
// file over it; that one must not be moved unread). A rename in the instant
// between this check and the move is not caught: writers must not replace
// files already in an inbox.
bool SameFile(const std::string& path, dev_t dev, ino_t ino) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && st.st_dev == dev && st.st_ino == ino;
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
  return Status::Ok();
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
    : ingestor_(ingestor), providers_(providers), options_(std::move(options)) {}

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
    ScanOnce();
    scans_.fetch_add(1, std::memory_order_release);
    stop_.WaitFor(options_.poll);
  }
}

void FolderDrop::ScanOnce() {
  std::set<std::string> present;
  std::error_code ec;
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
    ScanInbox(it->path().string(), *provider, &present);
    if (stop_.stopped()) return;
  }
  if (ec && ec.message() != last_error_) {
    spdlog::warn("folder drop: cannot list {}: {}", options_.root, ec.message());
  }
  last_error_ = ec ? ec.message() : "";
  // Forget files that went away, so a later file of the same name settles afresh.
  for (auto it = seen_.begin(); it != seen_.end();) it = present.count(it->first) ? std::next(it) : seen_.erase(it);
}

void FolderDrop::ScanInbox(const std::string& inbox, const Provider& provider, std::set<std::string>* present) {
  const auto now = std::chrono::steady_clock::now();
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
    if (now - s->second.since >= options_.settle) settled.emplace_back(s->second.mtime_ns, path);
  }
  if (ec) spdlog::warn("folder drop: cannot list {}: {}", inbox, ec.message());
  // Oldest first: a provider that drops a revision after the initial file
  // expects them applied in that order.
  std::sort(settled.begin(), settled.end());
  for (const auto& [mtime, path] : settled) {
    if (stop_.stopped()) return;
    Process(path, provider, seen_.at(path));
  }
}

void FolderDrop::Process(const std::string& path, const Provider& provider, Seen seen) {
  auto read = ReadIfUnchanged(path, seen.size, seen.mtime_ns, options_.max_file_bytes);
  if (!read.ok()) {
    spdlog::warn("folder drop: {} stays in the inbox, retried: {}", path, read.status().ToString());
    return;
  }
  if (read->changed) {
    seen_.erase(path);  // observed afresh at the next scan, and settles again
    return;
  }
  Disposition d;
  if (read->too_large) {
    d.where = Disposition::Where::kRejected;
    d.diagnostics.Add({path, 0, "File", "max-file-bytes",
                       std::to_string(read->size) + " bytes is more than folder_drop.max_file_bytes (" +
                           std::to_string(options_.max_file_bytes) + "); the file was not read"});
  } else {
    d = Submit(path, provider, std::move(read->content));
  }
  if (d.where == Disposition::Where::kInbox) return;
  const std::string id = d.id.empty() ? "-" : d.id;
  if (!SameFile(path, read->dev, read->ino)) {
    spdlog::warn("folder drop: submission {}: {} was replaced while it was submitted; the new file is read later", id,
                 path);
    seen_.erase(path);
    return;
  }
  const std::string inbox = fs::path(path).parent_path().string();
  Result<std::string> to = std::string();
  if (d.where == Disposition::Where::kDone) {
    to = MoveAside(path, inbox + "/done", nullptr);
  } else {
    const std::string text = "# " + path + " from provider " + provider.id +
                             (d.id.empty() ? "" : ", submission " + d.id) + ": rejected\n" + d.diagnostics.ToString();
    to = MoveAside(path, inbox + "/rejected", &text);
  }
  if (!to.ok()) {
    // A submitted file is submitted again at the next scan, a no-op, and the move retried.
    spdlog::error("folder drop: submission {}: {} stays in the inbox: {}", id, path, to.status().ToString());
    return;
  }
  seen_.erase(path);
  spdlog::info("folder drop: submission {}: {} {}, moved to {}", id, path, d.what, *to);
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
      spdlog::warn("folder drop: submission {}: {} stays in the inbox, retried: {}", d.id, path,
                   receipt.status().ToString());
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
