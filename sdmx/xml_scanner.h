// XmlScanner: a forward-only tokenizer over an XML buffer that finds element
// boundaries without building a tree, so that an SDMX-ML data message can be
// cut into one chunk per Series and each chunk parsed alone (bounded memory
// whatever the message size). It checks what a chunked parse would
// otherwise miss: matching end tags, truncation, nesting depth, DTDs. It
// skips comments, CDATA, processing instructions and quoted attribute
// values (which may hold '>'). Not thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sdmx {

class XmlScanner {
 public:
  enum class Token { kStart, kEnd, kEof, kError };

  XmlScanner(std::string_view buffer, size_t max_depth) : buf_(buffer), max_depth_(max_depth) {}

  // Advances to the next start or end tag. For kStart: name(), begin()/end()
  // of the start tag, self_closing(); depth() counts this element. For kEnd:
  // end() is just past the end tag. kError: error() and error_offset().
  Token Next();
  // From just after a (non self-closing) start tag, skips to just after its
  // matching end tag; false on error. Elements inside are not checked tag by
  // tag (see FastSkip): the caller parses the skipped range, which checks
  // them, and must bound its nesting itself.
  bool SkipElement();

  std::string_view name() const { return name_; }
  size_t begin() const { return begin_; }
  size_t end() const { return end_; }
  bool self_closing() const { return self_closing_; }
  size_t depth() const { return stack_.size(); }
  const std::string& error() const { return error_; }
  size_t error_offset() const { return error_offset_; }
  // The rule broken by the last error: "well-formed-xml", "max-depth" or "no-dtd".
  const char* error_rule() const { return error_rule_; }

 private:
  Token Fail(size_t at, const char* rule, std::string msg);
  // SkipElement by searching for the end tag; false when it cannot be sure.
  bool FastSkip();

  std::string_view buf_;
  size_t max_depth_;
  size_t pos_ = 0;
  std::vector<std::string_view> stack_;
  std::string_view name_;
  size_t begin_ = 0, end_ = 0;
  bool self_closing_ = false;
  std::string error_;
  size_t error_offset_ = 0;
  const char* error_rule_ = "well-formed-xml";
};

}  // namespace sdmx
