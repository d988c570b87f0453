// Translates rocksdb::Status into hub::Status (the only place that does).
#pragma once

#include <rocksdb/status.h>

#include <string>

#include "hub/base/status.h"

namespace hub::storage {

inline Status FromRocks(const rocksdb::Status& s, const std::string& context) {
  if (s.ok()) return Status::Ok();
  std::string msg = context + ": " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) return Status::Unavailable(msg);
  return Status::IoError(msg);
}

}  // namespace hub::storage
