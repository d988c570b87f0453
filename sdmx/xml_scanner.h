// XmlScanner: a forward-only tokenizer over an XML buffer that finds element
// boundaries without building a tree, so that an SDMX-ML data message can be
// cut into one chunk per Series and each chunk parsed alone (bounded memory
// whatever the message size). It checks what a chunked parse would
// otherwise miss: matching end tags, truncation, nesting depth, DTDs. It
// skips comments, CDATA, processing instructions and quoted attribute
// values (which may hold '>'). Over ArrivingBytes (an upload still on the
// wire) it waits for bytes when it reaches the end of those arrived: a
// token cut by the edge is scanned again, from where it was left, once more
// bytes are in. Not thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/arriving_bytes.h"

namespace sdmx {

class XmlScanner {
 public:
  enum class Token { kStart, kEnd, kEof, kError };

  XmlScanner(std::string_view buffer, size_t max_depth) : buf_(buffer), max_depth_(max_depth) {}
  // Over bytes still arriving: offsets are into source->view(). `source`
  // must outlive the scanner.
  XmlScanner(const hub::ArrivingBytes* source, size_t max_depth)
      : buf_(source->view().substr(0, source->available())), max_depth_(max_depth), source_(source) {}

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
  // Waits for bytes beyond those seen (buf_); false when none will come.
  bool Grow();
  // Offset of `needle` at or after `from`, waiting for bytes as needed; npos
  // when the document ends without it.
  size_t Find(std::string_view needle, size_t from);

  std::string_view buf_;  // the bytes arrived so far (all of them without a source)
  size_t max_depth_;
  const hub::ArrivingBytes* source_ = nullptr;
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
