// pugixml helpers shared by the SDMX-ML readers and writers.
//
// pugixml is not namespace-aware: SDMX-ML files use arbitrary prefixes or a
// default namespace, so readers match elements by local name and resolve
// prefixes to namespace URIs themselves (NamespaceOf).
#pragma once

#include <pugixml.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/arriving_bytes.h"
#include "hub/base/status.h"
#include "sdmx/diagnostic.h"

namespace sdmx {

struct XmlLimits {
  // Deepest element nesting accepted. SDMX-ML needs < 15; default 64.
  size_t max_depth = 64;
};

// Maps byte offsets of a buffer to 1-based line numbers. Lines are counted
// lazily as queries move forward (readers ask in document order), with a
// checkpoint every 64 KiB for the occasional look back: a full newline table
// would cost 8 bytes per line, 160 MB for a 1 GB message. The buffer must
// outlive the index. Not thread-safe (queries update the cursor).
class LineIndex {
 public:
  explicit LineIndex(std::string_view buffer) : buf_(buffer) {}
  int LineOf(std::ptrdiff_t offset) const;
  int LineOf(const pugi::xml_node& node) const { return LineOf(node.offset_debug()); }

 private:
  static constexpr size_t kBlock = size_t{1} << 16;
  std::string_view buf_;
  mutable size_t pos_ = 0;                   // newlines in [0, pos_) are counted...
  mutable int line_ = 1;                     // ...and this is the line at pos_
  mutable std::vector<int> block_lines_{1};  // line at offset i * kBlock, for every i * kBlock <= pos_
};

// Parses `buffer` (UTF-8: transcode other encodings first, see
// text_encoding.h) into `doc`, refusing what is not well-formed XML 1.0
// that pugixml would let through (invalid UTF-8, characters XML forbids,
// undeclared entities: text_check.h; a duplicated attribute: CheckTree),
// DTDs (entity expansion and external entity tricks) and nesting deeper
// than `limits.max_depth`. Problems are added to `diags` (located in
// `file`) and returned as InvalidArgument.
hub::Status ParseXml(std::string_view buffer, const std::string& file, const XmlLimits& limits,
                     const LineIndex& lines, pugi::xml_document* doc, Diagnostics* diags);

// What CheckTree found wrong in a parsed tree.
struct TreeProblem {
  enum class Kind { kNone, kTooDeep, kDuplicateAttribute };
  Kind kind = Kind::kNone;
  pugi::xml_node node;        // the element
  std::string_view attribute;  // kDuplicateAttribute: its name
  explicit operator bool() const { return kind != Kind::kNone; }
};

// The first element of `doc` nested deeper than `max_depth` (its top-level
// elements are at depth 1) or holding an attribute twice (pugixml keeps
// both). With `series_checked_by_caller`, the attributes of a top-level
// Series or Obs and of a Series' Obs children are left to the caller
// (XmlDataReader checks them as it reads them, at no extra cost).
// Iterative: a 10,000-deep document must not blow the stack.
TreeProblem CheckTree(const pugi::xml_node& doc, size_t max_depth, bool series_checked_by_caller = false);

// The diagnostic for a CheckTree problem.
std::string TreeProblemMessage(const TreeProblem& p, size_t max_depth);

// The attribute of `element` that comes twice, or an empty view.
std::string_view DuplicateAttribute(const pugi::xml_node& element);

// "mes:Header" -> "Header".
std::string_view LocalName(const pugi::xml_node& node);
std::string_view LocalName(const pugi::xml_attribute& attr);
// Namespace URI of the node's prefix (or default namespace), searched upwards.
std::string NamespaceOf(const pugi::xml_node& node);

// First child element with local name `name`, or an empty node.
pugi::xml_node ChildByLocalName(const pugi::xml_node& node, std::string_view name);
// Text of the first child with local name `name` ("" when absent).
std::string ChildText(const pugi::xml_node& node, std::string_view name);
// Value of the attribute with local name `name` ("" when absent), whatever its prefix.
std::string_view AttrByLocalName(const pugi::xml_node& node, std::string_view name);

// Local name of the root element, found by scanning (no parse): "" if none.
// Tells structure messages from data messages cheaply.
std::string RootElementName(std::string_view buffer);
// The same over a message still arriving: waits for its first tag; ""
// at once when the first significant byte is not '<' (SDMX-CSV, JSON).
std::string RootElementName(const hub::ArrivingBytes* source);

// Appends `s` XML-escaped, for text and attribute values alike: & < > " '
// as entities, and tab, LF and CR as &#9; &#10; &#13; (a parser turns them
// into spaces in an attribute value, and CR LF into LF in text: escaped, a
// value survives a round trip). What XML cannot hold at all (C0 controls,
// U+FFFE/U+FFFF, invalid UTF-8, say from data stored before readers
// refused it) becomes U+FFFD: the output stays well-formed.
void AppendEscaped(std::string* out, std::string_view s);

}  // namespace sdmx
