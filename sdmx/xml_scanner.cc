#include "sdmx/xml_scanner.h"

#include <algorithm>
#include <cstring>

namespace sdmx {

XmlScanner::Token XmlScanner::Fail(size_t at, const char* rule, std::string msg) {
  error_offset_ = at;
  error_rule_ = rule;
  error_ = std::move(msg);
  return Token::kError;
}

bool XmlScanner::Grow() {
  if (source_ == nullptr) return false;
  const size_t n = source_->WaitBeyond(buf_.size());
  if (n <= buf_.size()) return false;
  buf_ = source_->view().substr(0, n);  // the same storage, longer
  return true;
}

size_t XmlScanner::Find(std::string_view needle, size_t from) {
  for (;;) {
    size_t at = buf_.find(needle, from);
    if (at != std::string_view::npos) return at;
    // Search only the new bytes next time (less a needle's overlap), so
    // that a huge comment arriving piece by piece costs one pass.
    const size_t seen = buf_.size();
    if (!Grow()) return std::string_view::npos;
    from = std::max(from, seen >= needle.size() ? seen - needle.size() + 1 : 0);
  }
}

XmlScanner::Token XmlScanner::Next() {
  for (;;) {
    size_t lt = buf_.find('<', pos_);
    if (lt == std::string_view::npos) {
      pos_ = buf_.size();  // text only so far: no need to search it again
      if (Grow()) continue;
      if (!stack_.empty()) {
        return Fail(buf_.size(), "well-formed-xml",
                    "unexpected end of document inside <" + std::string(stack_.back()) + ">");
      }
      return Token::kEof;
    }
    // Markup other than tags starts with "<!" or "<?": test one byte first,
    // this runs once per element of a multi-gigabyte message.
    while (lt + 9 >= buf_.size() && Grow()) {
    }
    const char c1 = lt + 1 < buf_.size() ? buf_[lt + 1] : '\0';
    if (c1 == '!' || c1 == '?') {
      std::string_view rest = buf_.substr(lt);
      if (rest.substr(0, 4) == "<!--") {
        size_t e = Find("-->", lt + 4);
        if (e == std::string_view::npos) return Fail(lt, "well-formed-xml", "unterminated comment");
        pos_ = e + 3;
        continue;
      }
      if (rest.substr(0, 9) == "<![CDATA[") {
        size_t e = Find("]]>", lt + 9);
        if (e == std::string_view::npos) return Fail(lt, "well-formed-xml", "unterminated CDATA section");
        pos_ = e + 3;
        continue;
      }
      if (c1 == '?') {
        size_t e = Find("?>", lt + 2);
        if (e == std::string_view::npos) return Fail(lt, "well-formed-xml", "unterminated processing instruction");
        pos_ = e + 2;
        continue;
      }
      return Fail(lt, "no-dtd", "DTD and entity declarations are not accepted in SDMX-ML");
    }
    const bool end_tag = c1 == '/';
    size_t n0 = lt + (end_tag ? 2 : 1);
    size_t n1 = n0;
    for (;;) {
      while (n1 < buf_.size() && buf_[n1] != '>' && buf_[n1] != '/' && buf_[n1] != ' ' && buf_[n1] != '\t' &&
             buf_[n1] != '\r' && buf_[n1] != '\n') {
        ++n1;
      }
      if (n1 < buf_.size() || !Grow()) break;
    }
    if (n1 == n0) return Fail(lt, "well-formed-xml", "element name expected after '<'");
    name_ = buf_.substr(n0, n1 - n0);
    // Find the closing '>' outside quoted attribute values: step over names
    // and spaces byte by byte, over each quoted value with one memchr.
    size_t p = n1;
    for (;;) {
      while (p < buf_.size() && buf_[p] != '>' && buf_[p] != '"' && buf_[p] != '\'') ++p;
      if (p >= buf_.size()) {
        if (Grow()) continue;
        break;
      }
      if (buf_[p] == '>') break;
      const char quote = buf_[p];
      size_t from = p + 1;
      const void* close;
      while ((close = std::memchr(buf_.data() + from, quote, buf_.size() - from)) == nullptr) {
        from = buf_.size();
        if (!Grow()) break;
      }
      if (close == nullptr) {
        p = buf_.size();
        break;
      }
      p = static_cast<size_t>(static_cast<const char*>(close) - buf_.data()) + 1;
    }
    if (p >= buf_.size()) return Fail(lt, "well-formed-xml", "unterminated tag <" + std::string(name_));
    begin_ = lt;
    end_ = p + 1;
    pos_ = end_;
    if (end_tag) {
      if (stack_.empty() || stack_.back() != name_) {
        return Fail(lt, "well-formed-xml",
                    "end tag </" + std::string(name_) + "> does not match " +
                        (stack_.empty() ? std::string("any open element") : "<" + std::string(stack_.back()) + ">"));
      }
      stack_.pop_back();
      return Token::kEnd;
    }
    self_closing_ = buf_[p - 1] == '/';
    if (!self_closing_) {
      if (stack_.size() >= max_depth_) {
        return Fail(lt, "max-depth", "element nesting deeper than " + std::to_string(max_depth_));
      }
      stack_.push_back(name_);
    } else if (stack_.size() + 1 > max_depth_) {
      return Fail(lt, "max-depth", "element nesting deeper than " + std::to_string(max_depth_));
    }
    return Token::kStart;
  }
}

bool XmlScanner::SkipElement() {
  if (FastSkip()) return true;
  const size_t target = stack_.size() - 1;
  for (;;) {
    Token t = Next();
    if (t == Token::kError || t == Token::kEof) {
      if (t == Token::kEof) (void)Fail(buf_.size(), "well-formed-xml", "unexpected end of document");
      return false;
    }
    if (t == Token::kEnd && stack_.size() == target) return true;
  }
}

bool XmlScanner::FastSkip() {
  // One memchr hop per tag inside the element, to the first "</name" +
  // ('>' | space). That is the matching end tag unless the element nests
  // one of its own name or holds markup that could hide tags ("<!"
  // comments, CDATA, DTDs; "<?" PIs): on those, give up and let the
  // tag-by-tag walk decide (and report nesting too deep, a mismatched tag,
  // a DTD). Everything else inside is checked when the caller parses the
  // range, and its depth is the caller's to bound (see
  // XmlDataReader::ParseChunk). Over arriving bytes it waits wherever the
  // whole buffer would have let it decide, so that both read alike.
  const std::string_view name = stack_.back();
  for (size_t at = pos_;;) {
    const char* const b = buf_.data();
    const char* const stop = b + buf_.size();
    auto name_at = [&](const char* p) {  // `name` then a delimiter at p
      if (static_cast<size_t>(stop - p) <= name.size() || std::memcmp(p, name.data(), name.size()) != 0) return false;
      const char d = p[name.size()];
      return d == '>' || d == '/' || d == ' ' || d == '\t' || d == '\r' || d == '\n';
    };
    const char* p = static_cast<const char*>(std::memchr(b + at, '<', buf_.size() - at));
    if (p == nullptr) {
      at = buf_.size();
      if (Grow()) continue;
      return false;
    }
    at = static_cast<size_t>(p - b);
    // "</" + name + one delimiter (and the byte after it) decide what this tag is.
    if (static_cast<size_t>(stop - p) < name.size() + 4 && Grow()) continue;
    if (p + 1 >= stop) return false;
    const char c = p[1];
    if (c == '!' || c == '?') return false;
    if (c == '/') {
      if (!name_at(p + 2) || p[2 + name.size()] == '/') {
        ++at;
        continue;
      }
      const void* close = std::memchr(p, '>', stop - p);
      if (close == nullptr) {
        if (Grow()) continue;
        return false;
      }
      begin_ = at;
      end_ = static_cast<size_t>(static_cast<const char*>(close) - b) + 1;
      pos_ = end_;
      name_ = name;
      stack_.pop_back();
      return true;
    }
    if (name_at(p + 1)) return false;
    ++at;
  }
}

}  // namespace sdmx
