// File operations of the folder-drop connector (FolderDrop): reading a
// settled file only if it did not change, moving it aside without ever
// replacing a file, and names that fit. Errors say whose problem they are:
//   Unavailable       the hub is short of a resource (EMFILE, ENFILE,
//                     ENOMEM, ENOSPC): every file would fail alike;
//   PermissionDenied  the file cannot be read or moved by the hub (EACCES,
//                     EPERM), InvalidArgument its name is too long: retrying
//                     the same file cannot help;
//   IoError           anything else (retried).
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "hub/base/status.h"

namespace hub::connectors::drop_files {

// The longest name a dropped file may have: a 255-byte name (Linux file
// systems) must still hold the ".9999" of a taken name in done/ or
// rejected/ and the ".diagnostics.txt" beside it.
inline constexpr size_t kMaxNameBytes = 255 - 5 - 16;
inline constexpr const char* kDiagnosticsSuffix = ".diagnostics.txt";

// `what`: strerror(err), with the code saying whose problem it is (above).
Status FromErrno(const std::string& what, int err);

int64_t MtimeNs(const struct stat& st);

// The file's content, provided it still looks as observed when it settled
// and did not change while it was read (else `changed`).
struct FileRead {
  bool changed = false;
  bool too_large = false;  // larger than max_bytes: not read
  int64_t size = 0;
  std::string content;
  dev_t dev = 0;
  ino_t ino = 0;
};
Result<FileRead> ReadIfUnchanged(const std::string& path, int64_t size, int64_t mtime_ns, int64_t max_bytes);

// Moves `path` into `dir` (created if missing) as `name` or, when taken,
// the first free suffixed name ("feed.3.xml"); with `diagnostics`, writes
// them to <moved file>.diagnostics.txt first, so a crash in between leaves
// the file in the inbox (it is retried) rather than a rejected file without
// reasons. Returns where the file went.
Result<std::string> MoveAside(const std::string& path, const std::string& dir, const std::string& name,
                              const std::string* diagnostics);

// Whether `path` is still the file that was read (a writer may rename a new
// file over it; that one must not be moved unread). A rename in the instant
// between this check and the move is not caught: writers must not replace
// files already in an inbox.
bool SameFile(const std::string& path, dev_t dev, ino_t ino);

// `name` when it has at most `max_bytes`, else its start (cut at a UTF-8
// boundary), "~", 12 hex digits of its SHA-256 and its extension (when
// short): distinct names stay distinct, and a person still recognises it.
std::string ShortName(const std::string& name, size_t max_bytes);

}  // namespace hub::connectors::drop_files
