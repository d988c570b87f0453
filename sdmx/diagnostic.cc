#include "sdmx/diagnostic.h"

namespace sdmx {

std::string Diagnostic::ToString() const {
  return file + ":" + std::to_string(line) + ": " + element + ": " + rule + ": " + message;
}

void Diagnostics::Add(Diagnostic d) {
  ++count_;
  if (items_.size() < max_kept_) items_.push_back(std::move(d));
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
