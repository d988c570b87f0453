#include "sdmx/xml_scanner.h"

#include <cstring>

namespace sdmx {

XmlScanner::Token XmlScanner::Fail(size_t at, const char* rule, std::string msg) {
  error_offset_ = at;
  error_rule_ = rule;
  error_ = std::move(msg);
  return Token::kError;
}

XmlScanner::Token XmlScanner::Next() {
  for (;;) {
    size_t lt = buf_.find('<', pos_);
    if (lt == std::string_view::npos) {
      if (!stack_.empty()) {
        return Fail(buf_.size(), "well-formed-xml",
                    "unexpected end of document inside <" + std::string(stack_.back()) + ">");
      }
      return Token::kEof;
    }
    // Markup other than tags starts with "<!" or "<?": test one byte first,
    // this runs once per element of a multi-gigabyte message.
    const char c1 = lt + 1 < buf_.size() ? buf_[lt + 1] : '\0';
    if (c1 == '!' || c1 == '?') {
      std::string_view rest = buf_.substr(lt);
      if (rest.substr(0, 4) == "<!--") {
        size_t e = buf_.find("-->", lt + 4);
        if (e == std::string_view::npos) return Fail(lt, "well-formed-xml", "unterminated comment");
        pos_ = e + 3;
        continue;
      }
      if (rest.substr(0, 9) == "<![CDATA[") {
        size_t e = buf_.find("]]>", lt + 9);
        if (e == std::string_view::npos) return Fail(lt, "well-formed-xml", "unterminated CDATA section");
        pos_ = e + 3;
        continue;
      }
      if (c1 == '?') {
        size_t e = buf_.find("?>", lt + 2);
        if (e == std::string_view::npos) return Fail(lt, "well-formed-xml", "unterminated processing instruction");
        pos_ = e + 2;
        continue;
      }
      return Fail(lt, "no-dtd", "DTD and entity declarations are not accepted in SDMX-ML");
    }
    const bool end_tag = c1 == '/';
    size_t n0 = lt + (end_tag ? 2 : 1);
    size_t n1 = n0;
    while (n1 < buf_.size() && buf_[n1] != '>' && buf_[n1] != '/' && buf_[n1] != ' ' && buf_[n1] != '\t' &&
           buf_[n1] != '\r' && buf_[n1] != '\n') {
      ++n1;
    }
    if (n1 == n0) return Fail(lt, "well-formed-xml", "element name expected after '<'");
    name_ = buf_.substr(n0, n1 - n0);
    // Find the closing '>' outside quoted attribute values: step over names
    // and spaces byte by byte, over each quoted value with one memchr.
    size_t p = n1;
    const size_t n = buf_.size();
    const char* b = buf_.data();
    for (;;) {
      while (p < n && b[p] != '>' && b[p] != '"' && b[p] != '\'') ++p;
      if (p >= n || b[p] == '>') break;
      const void* close = std::memchr(b + p + 1, b[p], n - p - 1);
      if (close == nullptr) {
        p = n;
        break;
      }
      p = static_cast<size_t>(static_cast<const char*>(close) - b) + 1;
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
  // XmlDataReader::ParseChunk).
  const std::string_view name = stack_.back();
  const char* const b = buf_.data();
  const char* const stop = b + buf_.size();
  auto name_at = [&](const char* p) {  // `name` then a delimiter at p
    if (static_cast<size_t>(stop - p) <= name.size() || std::memcmp(p, name.data(), name.size()) != 0) return false;
    const char d = p[name.size()];
    return d == '>' || d == '/' || d == ' ' || d == '\t' || d == '\r' || d == '\n';
  };
  for (const char* p = b + pos_; (p = static_cast<const char*>(std::memchr(p, '<', stop - p))) != nullptr; ++p) {
    if (p + 1 >= stop) return false;
    const char c = p[1];
    if (c == '!' || c == '?') return false;
    if (c == '/') {
      if (!name_at(p + 2) || p[2 + name.size()] == '/') continue;
      const void* close = std::memchr(p, '>', stop - p);
      if (close == nullptr) return false;
      begin_ = static_cast<size_t>(p - b);
      end_ = static_cast<size_t>(static_cast<const char*>(close) - b) + 1;
      pos_ = end_;
      name_ = name;
      stack_.pop_back();
      return true;
    }
    if (name_at(p + 1)) return false;
  }
  return false;
}

}  // namespace sdmx
