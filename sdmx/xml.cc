#include "sdmx/xml.h"

#include <algorithm>
#include <cstring>

#include "hub/base/utf8.h"
#include "sdmx/text_check.h"
#include "sdmx/text_encoding.h"
#include "sdmx/xml_scanner.h"

namespace sdmx {

int LineIndex::LineOf(std::ptrdiff_t offset) const {
  if (offset < 0) return 0;
  const size_t target = std::min(static_cast<size_t>(offset), buf_.size());
  const char* b = buf_.data();
  if (target < pos_) {  // look back: count from the checkpoint before it
    const size_t i = target / kBlock;
    return block_lines_[i] + static_cast<int>(std::count(b + i * kBlock, b + target, '\n'));
  }
  while (pos_ < target) {
    const size_t boundary = block_lines_.size() * kBlock;
    const size_t step_end = std::min(target, boundary);
    // memchr, not std::count: lines are tens of bytes long, and memchr jumps
    // from one newline to the next with SIMD.
    for (const char* q = b + pos_; (q = static_cast<const char*>(std::memchr(q, '\n', b + step_end - q))) != nullptr;
         ++q) {
      ++line_;
    }
    pos_ = step_end;
    if (pos_ == boundary) block_lines_.push_back(line_);
  }
  return line_;
}

namespace {

// The attribute of an element, from its first, that comes twice. Every
// pugixml accessor is a call into the library: each name is fetched once,
// and first bytes are compared before whole names.
std::string_view DuplicateFrom(pugi::xml_attribute first) {
  if (!first) return {};
  pugi::xml_attribute a = first.next_attribute();
  if (!a) return {};  // one attribute: the common case
  constexpr size_t kMax = 32;
  const char* names[kMax];
  names[0] = first.name();
  size_t n = 1;
  for (; a && n < kMax; a = a.next_attribute()) names[n++] = a.name();
  for (size_t j = 1; j < n; ++j) {
    for (size_t k = 0; k < j; ++k) {
      if (names[j][0] == names[k][0] && std::strcmp(names[j], names[k]) == 0) return names[j];
    }
  }
  // More than kMax attributes (no SDMX-ML element has): compare the rest too.
  for (; a; a = a.next_attribute()) {
    for (pugi::xml_attribute b = first; b != a; b = b.next_attribute()) {
      if (std::strcmp(a.name(), b.name()) == 0) return a.name();
    }
  }
  return {};
}

// CheckTree's walk. pugixml's traverse() walks without recursion (a
// 10,000-deep document must not blow the stack) and inside the library:
// one virtual call per node instead of a call per step.
class TreeChecker final : public pugi::xml_tree_walker {
 public:
  TreeChecker(size_t max_depth, bool series_checked_by_caller)
      : max_depth_(max_depth), series_checked_by_caller_(series_checked_by_caller) {}
  const TreeProblem& problem() const { return problem_; }

  bool for_each(pugi::xml_node& node) override {
    if (node.type() != pugi::node_element) return true;
    const size_t depth = static_cast<size_t>(this->depth()) + 1;  // top-level elements: 1
    if (depth > max_depth_) {
      problem_ = {TreeProblem::Kind::kTooDeep, node, {}};
      return false;
    }
    if (series_checked_by_caller_ && depth <= 2) {  // names are compared only where they matter
      const std::string_view name = LocalName(node);
      if (depth == 1) in_series_ = name == "Series";
      if (depth == 1 ? in_series_ || name == "Obs" : in_series_ && name == "Obs") return true;
    }
    if (std::string_view dup = DuplicateFrom(node.first_attribute()); !dup.empty()) {
      problem_ = {TreeProblem::Kind::kDuplicateAttribute, node, dup};
      return false;
    }
    return true;
  }

 private:
  const size_t max_depth_;
  const bool series_checked_by_caller_;
  bool in_series_ = false;  // below a top-level Series whose Obs the caller checks
  TreeProblem problem_;
};

}  // namespace

std::string_view DuplicateAttribute(const pugi::xml_node& element) { return DuplicateFrom(element.first_attribute()); }

TreeProblem CheckTree(const pugi::xml_node& doc, size_t max_depth, bool series_checked_by_caller) {
  TreeChecker checker(max_depth, series_checked_by_caller);
  pugi::xml_node root = doc;  // a handle: traverse() is not const
  root.traverse(checker);
  return checker.problem();
}

std::string TreeProblemMessage(const TreeProblem& p, size_t max_depth) {
  if (p.kind == TreeProblem::Kind::kTooDeep) return "element nesting deeper than " + std::to_string(max_depth);
  return "attribute " + std::string(p.attribute) + " appears twice in <" + std::string(LocalName(p.node)) + ">";
}

hub::Status ParseXml(std::string_view buffer, const std::string& file, const XmlLimits& limits,
                     const LineIndex& lines, pugi::xml_document* doc, Diagnostics* diags) {
  auto fail = [&](int line, std::string element, std::string rule, std::string msg) {
    return diags->Refuse({file, line, std::move(element), std::move(rule), std::move(msg)});
  };
  if (std::optional<TextProblem> p = CheckXmlText(buffer)) {
    return fail(lines.LineOf(static_cast<std::ptrdiff_t>(p->offset)), ElementAt(buffer, p->offset), p->rule,
                p->message);
  }
  // parse_doctype keeps the DOCTYPE node so that we can refuse it; pugixml
  // never expands custom entities, but a DTD has no place in SDMX-ML.
  // encoding_utf8: the text is UTF-8 (transcoded, if it was not, before it
  // came here) whatever its declaration says.
  pugi::xml_parse_result r = doc->load_buffer(buffer.data(), buffer.size(),
                                              pugi::parse_default | pugi::parse_doctype, pugi::encoding_utf8);
  if (!r) {
    return fail(lines.LineOf(r.offset), "document", "well-formed-xml", r.description());
  }
  for (pugi::xml_node n = doc->first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_doctype) {
      return fail(lines.LineOf(n), "DOCTYPE", "no-dtd",
                  "DTD and entity declarations are not accepted in SDMX-ML");
    }
  }
  if (!doc->document_element()) {
    return fail(1, "document", "well-formed-xml", "no root element");
  }
  if (const TreeProblem p = CheckTree(*doc, limits.max_depth)) {
    return fail(lines.LineOf(p.node), std::string(LocalName(p.node)),
                p.kind == TreeProblem::Kind::kTooDeep ? "max-depth" : "well-formed-xml",
                TreeProblemMessage(p, limits.max_depth));
  }
  return hub::Status::Ok();
}

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view n = node.name();
  size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string_view LocalName(const pugi::xml_attribute& attr) {
  std::string_view n = attr.name();
  size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string NamespaceOf(const pugi::xml_node& node) {
  std::string_view n = node.name();
  size_t colon = n.find(':');
  std::string attr = colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(n.substr(0, colon));
  for (pugi::xml_node p = node; p; p = p.parent()) {
    if (pugi::xml_attribute a = p.attribute(attr.c_str())) return a.value();
  }
  return "";
}

pugi::xml_node ChildByLocalName(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c) == name) return c;
  }
  return {};
}

std::string ChildText(const pugi::xml_node& node, std::string_view name) {
  pugi::xml_node c = ChildByLocalName(node, name);
  return c ? c.text().get() : "";
}

std::string_view AttrByLocalName(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    if (LocalName(a) == name) return a.value();
  }
  return {};
}

std::string RootElementName(std::string_view body) {
  TextProblem unknown;
  const std::optional<TextEncoding> encoding = DetectEncoding(body.substr(0, kEncodingHeadBytes), &unknown);
  if (encoding == TextEncoding::kUtf16Le || encoding == TextEncoding::kUtf16Be) {
    // The root tag is near the start: transcode that much (an even count).
    std::string head;
    (void)TranscodeToUtf8(body.substr(0, std::min<size_t>(body.size(), 8192) & ~size_t{1}), *encoding, &head);
    return RootElementName(head);
  }
  size_t i = 0;
  while ((i = body.find('<', i)) != std::string_view::npos) {
    if (body.compare(i, 2, "<?") == 0 || body.compare(i, 2, "<!") == 0) {
      ++i;
      continue;
    }
    size_t end = body.find_first_of(" \t\r\n/>", i + 1);
    std::string_view name = body.substr(i + 1, end == std::string_view::npos ? body.npos : end - i - 1);
    size_t colon = name.find(':');
    return std::string(colon == std::string_view::npos ? name : name.substr(colon + 1));
  }
  return "";
}

std::string RootElementName(const hub::ArrivingBytes* source) {
  size_t have = source->available();
  while (have < std::min<size_t>(2, source->size())) {
    const size_t more = source->WaitBeyond(have);
    if (more == have) break;
    have = more;
  }
  const std::string_view start = source->view().substr(0, std::min<size_t>(have, 2));
  if (start == "\xFF\xFE" || start == "\xFE\xFF" || start == std::string_view("<\0", 2) ||
      start == std::string_view("\0<", 2)) {
    (void)source->WaitAll();  // UTF-16: read whole anyway (DataReader::Open)
    return RootElementName(source->view().substr(0, source->available()));
  }
  for (size_t i = 0;; ++i) {
    while (i >= have) {
      const size_t more = source->WaitBeyond(have);
      if (more == have) return "";
      have = more;
    }
    const char c = source->view()[i];
    if (c == '<') break;
    const bool bom = i < 3 && static_cast<unsigned char>(c) >= 0xBB;  // EF BB BF
    if (!bom && c != ' ' && c != '\t' && c != '\r' && c != '\n') return "";
  }
  XmlScanner scanner(source, /*max_depth=*/1);
  if (scanner.Next() != XmlScanner::Token::kStart) return "";
  std::string_view name = scanner.name();
  size_t colon = name.find(':');
  return std::string(colon == std::string_view::npos ? name : name.substr(colon + 1));
}

void AppendEscaped(std::string* out, std::string_view s) {
  // Runs of bytes that need nothing are appended whole.
  size_t plain = 0;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const char* entity = nullptr;
    size_t len = 1;
    switch (c) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&apos;"; break;
      case '\t': entity = "&#9;"; break;
      case '\n': entity = "&#10;"; break;
      case '\r': entity = "&#13;"; break;
      default:
        if (c < 0x20) {
          entity = "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 cannot hold C0 controls, not even as &#1;
        } else if (c >= 0x80) {
          uint32_t cp = 0;
          len = hub::DecodeUtf8(s.substr(i, 4), &cp);
          if (len == 0 || !IsXmlChar(cp)) {
            entity = "\xEF\xBF\xBD";
            len = len == 0 ? 1 : len;
          }
        }
    }
    if (entity) {
      out->append(s.substr(plain, i - plain));
      out->append(entity);
      plain = i + len;
    }
    i += len;
  }
  out->append(s.substr(plain));
}

}  // namespace sdmx
