// Validation results are data: each problem found in an SDMX message is a
// Diagnostic naming the file, line, element and rule, so that an agency can
// find and fix it. A Diagnostics sink caps how many are kept (a file with a
// wrong codelist can produce one per observation).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "hub/base/status.h"

namespace sdmx {

struct Diagnostic {
  std::string file;
  int line = 0;         // 1-based; 0 when unknown
  std::string element;  // e.g. "Series", "Obs", "Structure"
  std::string rule;     // stable rule id, e.g. "code-in-codelist"
  std::string message;

  // "file:line: element: rule: message" (the `sdmx-hub check` format).
  std::string ToString() const;
};

class Diagnostics {
 public:
  explicit Diagnostics(size_t max_kept = 1000) : max_kept_(max_kept) {}

  void Add(Diagnostic d);
  // Adds `d`, a problem that stops reading, and returns it as InvalidArgument.
  [[nodiscard]] hub::Status Refuse(Diagnostic d);
  // Total problems reported, including those past the cap.
  size_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  bool truncated() const { return count_ > items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  // All kept diagnostics, one per line, plus a line saying how many were dropped.
  std::string ToString() const;

 private:
  size_t max_kept_;
  size_t count_ = 0;
  std::vector<Diagnostic> items_;
};

}  // namespace sdmx
