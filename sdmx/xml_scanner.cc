#include "sdmx/xml_scanner.h"

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
    if (rest.substr(0, 2) == "<?") {
      size_t e = buf_.find("?>", lt + 2);
      if (e == std::string_view::npos) return Fail(lt, "well-formed-xml", "unterminated processing instruction");
      pos_ = e + 2;
      continue;
    }
    if (rest.substr(0, 2) == "<!") {
      return Fail(lt, "no-dtd", "DTD and entity declarations are not accepted in SDMX-ML");
    }
    const bool end_tag = rest.substr(0, 2) == "</";
    size_t n0 = lt + (end_tag ? 2 : 1);
    size_t n1 = n0;
    while (n1 < buf_.size() && buf_[n1] != '>' && buf_[n1] != '/' && buf_[n1] != ' ' && buf_[n1] != '\t' &&
           buf_[n1] != '\r' && buf_[n1] != '\n') {
      ++n1;
    }
    if (n1 == n0) return Fail(lt, "well-formed-xml", "element name expected after '<'");
    name_ = buf_.substr(n0, n1 - n0);
    // Find the closing '>' outside quoted attribute values.
    size_t p = n1;
    char quote = 0;
    for (; p < buf_.size(); ++p) {
      char c = buf_[p];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
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

}  // namespace sdmx
