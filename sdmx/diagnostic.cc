#include "sdmx/diagnostic.h"

#include "hub/base/one_line.h"
#include "sdmx/text_check.h"

namespace sdmx {
namespace {

// Diagnostics quote what a message held (names, values) and travel on as
// protobuf strings and in XML and JSON answers: keep them valid UTF-8 of
// allowed characters whatever the message held (a guard: the readers refuse
// such bytes before quoting them, but a scan error can name a broken tag).
void Clean(std::string* s) {
  if (!CheckXmlChars(*s)) return;
  *s = SanitizedText(*s);
}

}  // namespace

std::string Diagnostic::ToString() const {
  std::string out = file + ":" + std::to_string(line) + ": " + element + ": " + rule + ": " + message;
  Clean(&out);  // a Diagnostic not yet through Diagnostics::Add (a reader's status text)
  return out;
}

void Diagnostics::Add(Diagnostic d) {
  ++count_;
  // Past a limit nothing is cleaned, escaped or copied: a file with a
  // million bad values costs a count each.
  if (items_.size() >= limits_.max_kept || kept_bytes_ >= limits_.max_total_bytes) return;
  Clean(&d.file);
  Clean(&d.element);
  Clean(&d.message);
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

hub::Status Diagnostics::Refuse(Diagnostic d) {
  std::string text = d.ToString();
  Add(std::move(d));
  return hub::Status::InvalidArgument(text);
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
