#include "sdmx/diagnostic.h"

#include "hub/base/one_line.h"

namespace sdmx {

std::string Diagnostic::ToString() const {
  return file + ":" + std::to_string(line) + ": " + element + ": " + rule + ": " + message;
}

void Diagnostics::Add(Diagnostic d) {
  ++count_;
  // Past a limit nothing is escaped or copied: a file with a million bad
  // values costs a count each.
  if (items_.size() >= limits_.max_kept || kept_bytes_ >= limits_.max_total_bytes) return;
  for (std::string* field : {&d.file, &d.element, &d.rule, &d.message}) {
    *field = hub::OneLine(*field, limits_.max_field_bytes);
  }
  const size_t bytes = d.file.size() + d.element.size() + d.rule.size() + d.message.size();
  if (kept_bytes_ + bytes > limits_.max_total_bytes) {
    kept_bytes_ = limits_.max_total_bytes;  // full: later ones are only counted, in order
    return;
  }
  kept_bytes_ += bytes;
  items_.push_back(std::move(d));
}

std::string Diagnostics::ToString() const {
  std::string out;
  for (const auto& d : items_) {
    out += d.ToString();
    out += '\n';
  }
  if (truncated()) {
    out += "... " + std::to_string(count_ - items_.size()) + " more diagnostics not shown\n";
  }
  return out;
}

}  // namespace sdmx
