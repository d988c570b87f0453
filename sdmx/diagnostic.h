// Validation results are data: each problem found in an SDMX message is a
// Diagnostic naming the file, line, element and rule, so that an agency can
// find and fix it. A Diagnostics sink caps how many are kept (a file with a
// wrong codelist can produce one per observation) and how much text: every
// field is escaped onto one line and cut to a bound (a value of 40 MB, or
// one holding "\n", is quoted as its head and tail), so that what a bad file
// costs in the ledger, an HTTP answer or a log line is bounded.
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

struct DiagnosticLimits {
  // Diagnostics kept; the rest are only counted. Default 1000.
  size_t max_kept = 1000;
  // Bytes kept of each text field (file, element, rule, message), after
  // control characters are escaped: a longer one keeps its head and tail
  // around "...[N bytes cut]..." (hub::OneLine; at least 40). Default 4 KiB.
  size_t max_field_bytes = 4096;
  // Bytes of text kept in all (the four fields of every kept diagnostic);
  // a diagnostic that would pass it is only counted. Default 4 MiB.
  size_t max_total_bytes = size_t{4} << 20;
};

class Diagnostics {
 public:
  explicit Diagnostics(size_t max_kept = 1000) : limits_{max_kept} {}
  explicit Diagnostics(DiagnosticLimits limits) : limits_(limits) {}

  // Keeps `d` (its fields escaped and bounded) while within the limits;
  // counts it in any case.
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
  DiagnosticLimits limits_;
  size_t count_ = 0;
  size_t kept_bytes_ = 0;  // text of the kept items
  std::vector<Diagnostic> items_;
};

}  // namespace sdmx
