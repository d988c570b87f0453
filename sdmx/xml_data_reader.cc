// SDMX-ML data messages: 2.1 GenericData / StructureSpecificData (and their
// TimeSeries variants) and 3.0 StructureSpecificData, in every observation
// layout: time series, cross-section (any dimension at observation) and flat
// (AllDimensions). Streaming: an XmlScanner cuts each DataSet child out of the
// buffer and pugixml parses only that chunk, so memory beyond the buffer
// itself stays bounded by the largest Series. Group and dataset-level attributes are copied onto the
// series they apply to, so every series carries its full attribute set.
// One reader class for every SDMX-ML layout and version (hence its length):
// they share the chunking, the header and the group handling.
#include <cstring>
#include <deque>
#include <map>

#include "sdmx/queued_reader.h"
#include "sdmx/text_check.h"
#include "sdmx/urn.h"
#include "sdmx/xml_scanner.h"

namespace sdmx {
namespace {

struct HeaderStructure {
  const DataStructure* dsd = nullptr;
  std::optional<ArtefactRef> dataflow;
  std::string dimension_at_observation = "TIME_PERIOD";
};

// Attributes a Group element attaches to every series matching its partial key.
struct GroupAttributes {
  std::vector<std::pair<int, std::string>> key;  // dimension index, code
  Fields attributes;
};

class XmlDataReader final : public QueuedReader {
 public:
  XmlDataReader(std::string_view buffer, std::string file, const StructureSet& structures,
                const DataReaderOptions& options, Diagnostics* diags)
      : QueuedReader(std::move(file), structures, options, diags), buffer_(buffer), lines_(buffer),
        scanner_(buffer, options.xml.max_depth) {}
  // Reads bytes as they arrive: only what the scanner has passed is parsed.
  XmlDataReader(const hub::ArrivingBytes* source, std::string file, const StructureSet& structures,
                const DataReaderOptions& options, Diagnostics* diags)
      : QueuedReader(std::move(file), structures, options, diags), buffer_(source->view()), lines_(buffer_),
        scanner_(source, options.xml.max_depth), source_(source) {}

  hub::Status Init() {
    // Walk the root's children without building a tree: the Header (and any
    // element before the first DataSet) is parsed as one small document; the
    // DataSets are then read child by child (see Advance).
    XmlScanner::Token t = scanner_.Next();
    if (t == XmlScanner::Token::kError) return FailScan();
    if (t != XmlScanner::Token::kStart) return QueuedReader::Fail(1, "document", "well-formed-xml", "no root element");
    const std::string root_name(scanner_.name());
    if (!scanner_.self_closing() && !FindDataSet()) return status_;
    const bool has_dataset = dataset_begin_ != std::string_view::npos;
    if (has_dataset) {
      // The prefix up to the first DataSet, closed: root start tag + Header.
      std::string prolog(buffer_.substr(0, dataset_begin_));
      prolog += "</" + root_name + ">";
      HUB_RETURN_IF_ERROR(ParseXml(prolog, file_, options_.xml, lines_, &doc_, diags_));
      checked_ = dataset_begin_;  // ParseXml checked the text (text_check.h) up to here
    } else {
      // No DataSet: a small message or an error, parsed whole.
      std::string_view all = buffer_;
      if (source_) {
        (void)source_->WaitAll();  // a cut upload reads as a truncated document
        all = all.substr(0, source_->available());
      }
      HUB_RETURN_IF_ERROR(ParseXml(all, file_, options_.xml, lines_, &doc_, diags_));
      checked_ = all.size();
    }
    pugi::xml_node root = doc_.document_element();
    const std::string ns = NamespaceOf(root);
    std::string_view kind = LocalName(root);
    generic_ = kind == "GenericData" || kind == "GenericTimeSeriesData";
    // SDMX-ML 2.0: GenericData only (Tajstat and other national platforms
    // still send it); its compact/utility formats need the DSD's XSD.
    v20_ = ns.find("/v2_0/") != std::string::npos;
    if ((v20_ && !generic_) || ns.find("/v1_0/") != std::string::npos) {
      return Fail(root, "message-version",
                  "SDMX-ML 1.0 and 2.0 non-generic data messages are not supported (send SDMX-ML 2.0 GenericData, 2.1 or 3.0)");
    }
    if (!generic_ && kind != "StructureSpecificData" && kind != "StructureSpecificTimeSeriesData") {
      return Fail(root, "message-type",
                  "unsupported message '" + std::string(kind) +
                      "': expected SDMX-ML GenericData or StructureSpecificData");
    }
    // Eurostat answers a too-large request with a message holding only a
    // Footer (where to download the data later): say so, not "no structure".
    pugi::xml_node footer = ChildByLocalName(root, "Footer");
    if (footer && !has_dataset) {
      pugi::xml_node text = footer.find_node([](pugi::xml_node n) { return LocalName(n) == "Text"; });
      return Fail(footer, "footer-only", std::string("the message holds no DataSet, only a Footer") +
                                             (text ? ": " + std::string(text.text().get()) : ""));
    }
    HUB_RETURN_IF_ERROR(ReadHeader(ChildByLocalName(root, "Header")));
    if (has_dataset) {
      HUB_RETURN_IF_ERROR(EnterDataSet());
      Advance();
    }
    return status_;
  }

  size_t consumed() const override { return chunk_begin_; }

 private:
  // Every byte of the message: the scanner reached its end.
  size_t end_of_message() const { return source_ ? source_->available() : buffer_.size(); }

  hub::Status Fail(const pugi::xml_node& n, const std::string& rule, const std::string& msg) {
    return QueuedReader::Fail(Line(n), std::string(LocalName(n)), rule, msg);
  }

  hub::Status FailScan() { return FailBefore(scanner_.error_offset(), scanner_.error_rule(), scanner_.error()); }

  // Reports a problem found at `offset` by the scanner, unless the bytes
  // before it hold a character problem: that one comes first (and explains
  // a broken tag better than the tag does).
  hub::Status FailBefore(size_t offset, const char* rule, const std::string& msg) {
    if (!CheckText(offset)) return status_;
    return QueuedReader::Fail(lines_.LineOf(static_cast<std::ptrdiff_t>(offset)), "document", rule, msg);
  }

  // Checks the bytes from checked_ to `end` (text_check.h: UTF-8, characters
  // XML forbids, undeclared entities) and moves checked_ on; false after
  // reporting a problem. Called on every range before pugixml parses it and
  // on the rest at the end, so that every byte of the message is checked
  // once, while it is in cache. Ranges begin and end at tag boundaries.
  bool CheckText(size_t end) {
    if (end <= checked_) return true;
    const std::string_view text = buffer_.substr(checked_, end - checked_);
    if (std::optional<TextProblem> p = CheckXmlText(text)) {
      const size_t at = checked_ + p->offset;
      (void)QueuedReader::Fail(lines_.LineOf(static_cast<std::ptrdiff_t>(at)), ElementAt(buffer_, at), p->rule,
                               p->message);
      return false;
    }
    checked_ = end;
    return true;
  }

  // Source line of a node of any of the small documents parsed from chunks.
  int Line(const pugi::xml_node& n) const {
    const pugi::xml_node root = n.root();  // a walk up the tree: once
    size_t base = root == chunk_doc_ ? chunk_begin_ : root == dataset_doc_ ? dataset_begin_ : 0;
    return lines_.LineOf(static_cast<std::ptrdiff_t>(base) + n.offset_debug());
  }

  // Scans the current element's children for the next DataSet start tag;
  // skips the others (Header, Footer...). False on a scan error.
  bool FindDataSet() {
    dataset_begin_ = std::string_view::npos;
    for (;;) {
      XmlScanner::Token t = scanner_.Next();
      if (t == XmlScanner::Token::kError) {
        (void)FailScan();
        return false;
      }
      if (t == XmlScanner::Token::kEof || (t == XmlScanner::Token::kEnd && scanner_.depth() == 0)) return true;
      if (t != XmlScanner::Token::kStart || scanner_.depth() != 2) continue;
      std::string_view name = scanner_.name();
      size_t colon = name.find(':');
      if ((colon == std::string_view::npos ? name : name.substr(colon + 1)) == "DataSet") {
        dataset_begin_ = scanner_.begin();
        dataset_tag_end_ = scanner_.end();
        dataset_tag_ = std::string(buffer_.substr(scanner_.begin(), scanner_.end() - scanner_.begin()));
        dataset_open_ = !scanner_.self_closing();
        if (dataset_open_) dataset_tag_ += "</" + std::string(name) + ">";
        return true;
      }
      if (!scanner_.self_closing() && !scanner_.SkipElement()) {
        (void)FailScan();
        return false;
      }
    }
  }

  // Parses the element [begin, end) of the buffer on its own.
  pugi::xml_node ParseChunk(size_t begin, size_t end) {
    if (!CheckText(end)) return {};
    chunk_begin_ = begin;
    chunk_doc_.reset();
    pugi::xml_parse_result r = chunk_doc_.load_buffer(buffer_.data() + begin, end - begin,
                                                      pugi::parse_default | pugi::parse_fragment, pugi::encoding_utf8);
    if (!r) {
      (void)QueuedReader::Fail(lines_.LineOf(static_cast<std::ptrdiff_t>(begin) + r.offset), "document",
                               "well-formed-xml", r.description());
      return {};
    }
    // The scanner skipped this element's inside (XmlScanner::SkipElement):
    // bound its nesting here. It sits at depth 3 (message, DataSet, it).
    // Structure-specific Series and Obs attributes are checked for
    // duplicates as they are read (PlaceXmlAttributes), the rest here.
    const size_t room = options_.xml.max_depth > 2 ? options_.xml.max_depth - 2 : 1;
    if (const TreeProblem p = CheckTree(chunk_doc_, room, /*series_checked_by_caller=*/!generic_)) {
      (void)QueuedReader::Fail(Line(p.node), std::string(LocalName(p.node)),
                               p.kind == TreeProblem::Kind::kTooDeep ? "max-depth" : "well-formed-xml",
                               TreeProblemMessage(p, options_.xml.max_depth));
      return {};
    }
    return chunk_doc_.first_child();
  }

  hub::Status ReadHeader(const pugi::xml_node& h) {
    if (!h) return Fail(doc_.document_element(), "header", "message has no Header");
    header_.id = ChildText(h, "ID");
    header_.test = ChildText(h, "Test") == "true";
    header_.prepared = ChildText(h, "Prepared");
    header_.sender = ChildByLocalName(h, "Sender").attribute("id").value();
    header_action_ = ChildText(h, "DataSetAction");
    if (v20_) {
      // 2.0 names the DSD (key family) by agency and id only: the latest version held.
      const ArtefactRef ref{ChildText(h, "KeyFamilyAgency"), ChildText(h, "KeyFamilyRef"), ""};
      HeaderStructure hs;
      hs.dsd = ResolveDsd(ref, h);
      if (!hs.dsd) {
        return Fail(h, "structure-known", "key family " + ref.agency + ":" + ref.id + " is not known to the hub");
      }
      header_structures_[""] = hs;
      return hub::Status::Ok();
    }
    for (pugi::xml_node s = h.first_child(); s; s = s.next_sibling()) {
      if (LocalName(s) != "Structure") continue;
      HeaderStructure hs;
      std::string dim_at_obs = s.attribute("dimensionAtObservation").value();
      if (!dim_at_obs.empty()) hs.dimension_at_observation = dim_at_obs;
      std::optional<StructureRef> ref;
      for (pugi::xml_node c = s.first_child(); c && !ref; c = c.next_sibling()) {
        if (c.type() == pugi::node_element) ref = ParseStructureRef(c);
      }
      if (!ref) return Fail(s, "structure-ref", "header Structure names no structure or dataflow");
      if (ref->is_agreement) {
        // The agreement's dataflow is the data's.
        const ProvisionAgreement* pa = structures_.FindProvisionAgreement(ref->ref);
        if (!pa) return Fail(s, "structure-known", "provision agreement " + ref->ref.ToString() + " is not known to the hub");
        ref->ref = pa->dataflow;
        ref->is_dataflow = true;
      }
      if (ref->is_dataflow) {
        if (const Dataflow* df = structures_.FindDataflow(ref->ref)) {
          hs.dataflow = df->ref;
          hs.dsd = structures_.FindDataStructure(df->structure);
          if (!hs.dsd) {
            return Fail(s, "structure-known", "dataflow " + df->ref.ToString() + " uses data structure " +
                                                  df->structure.ToString() + ", which is not known to the hub");
          }
        }
      } else {
        hs.dsd = ResolveDsd(ref->ref, s);
      }
      if (!hs.dsd) {
        return Fail(s, "structure-known", std::string(ref->is_dataflow ? "dataflow " : "structure ") +
                                              ref->ref.ToString() + " is not known to the hub");
      }
      header_structures_[s.attribute("structureID").value()] = hs;
    }
    if (header_structures_.empty()) return Fail(h, "structure-ref", "header has no Structure");
    return hub::Status::Ok();
  }

  // The DSD `ref` names; with DataReaderOptions.any_version, the latest
  // version held when that one is not (noted in the header).
  const DataStructure* ResolveDsd(const ArtefactRef& ref, const pugi::xml_node& where) {
    if (const DataStructure* d = structures_.FindDataStructure(ref)) return d;
    if (!options_.any_version || ref.version.empty()) return nullptr;
    const DataStructure* d = structures_.FindDataStructure({ref.agency, ref.id, ""});
    if (d) {
      header_.notes.push_back(file_ + ":" + std::to_string(Line(where)) + ": structure " + ref.ToString() +
                              " is not held; read against " + d->ref.ToString());
    }
    return d;
  }

  hub::Status EnterDataSet() {
    if (!CheckText(dataset_tag_end_)) return status_;
    pugi::xml_parse_result r = dataset_doc_.load_buffer(dataset_tag_.data(), dataset_tag_.size(),
                                                        pugi::parse_default | pugi::parse_fragment, pugi::encoding_utf8);
    if (!r) {
      return QueuedReader::Fail(lines_.LineOf(static_cast<std::ptrdiff_t>(dataset_begin_)), "DataSet",
                                "well-formed-xml", r.description());
    }
    dataset_node_ = dataset_doc_.first_child();
    if (std::string_view dup = DuplicateAttribute(dataset_node_); !dup.empty()) {
      return Fail(dataset_node_, "well-formed-xml", "attribute " + std::string(dup) + " appears twice in <DataSet>");
    }
    std::string ref(AttrByLocalName(dataset_node_, "structureRef"));
    auto it = header_structures_.find(ref);
    if (it == header_structures_.end()) {
      if (header_structures_.size() != 1) {
        return Fail(dataset_node_, "structure-ref", "DataSet structureRef '" + ref + "' is not declared in the header");
      }
      it = header_structures_.begin();
    }
    dsd_ = it->second.dsd;
    obs_roles_.clear();  // roles are per DSD
    series_roles_.clear();
    obs_attribute_count_ = 0;
    for (const Attribute& a : dsd_->attributes) obs_attribute_count_ += a.level == AttachmentLevel::kObservation;
    dataset_ = DataSetInfo{};
    dataset_.structure = dsd_->ref;
    dataset_.dataflow = it->second.dataflow;
    dataset_.dimension_at_observation = it->second.dimension_at_observation;
    std::string action(AttrByLocalName(dataset_node_, "action"));
    if (action.empty()) action = header_action_;
    if (!action.empty()) {
      auto a = ParseAction(action);
      if (!a) return Fail(dataset_node_, "action", "unknown DataSet action '" + action + "'");
      dataset_.action = *a;
      dataset_.action_given = true;
    }
    dataset_.valid_from = std::string(AttrByLocalName(dataset_node_, "validFromDate"));
    dataset_.valid_to = std::string(AttrByLocalName(dataset_node_, "validToDate"));
    const std::string& dao = dataset_.dimension_at_observation;
    if (dao != dsd_->time_dimension && dao != "AllDimensions" && dsd_->DimensionIndex(dao) < 0) {
      return Fail(dataset_node_, "dimension-at-observation",
                  "dimensionAtObservation=" + dao + " is not a dimension of " + dsd_->ref.ToString());
    }
    // Dataset-level attributes and groups apply to the series read later
    // (the schema puts them before the series).
    dataset_attributes_.clear();
    groups_.clear();
    if (!generic_) {
      for (pugi::xml_attribute a = dataset_node_.first_attribute(); a; a = a.next_attribute()) {
        std::string_view name = a.name();
        if (name.find(':') == std::string_view::npos && dsd_->FindAttribute(name)) {
          dataset_attributes_.push_back({std::string(name), a.value()});
        }
      }
    }
    return hub::Status::Ok();
  }

  GroupAttributes ReadGroup(const pugi::xml_node& g) {
    GroupAttributes out;
    auto place = [&](std::string_view id, std::string_view value) {
      if (int idx = dsd_->DimensionIndex(id); idx >= 0) {
        out.key.emplace_back(idx, std::string(value));
      } else {
        out.attributes.push_back({std::string(id), std::string(value)});
      }
    };
    if (generic_) {
      for (pugi::xml_node v = ChildByLocalName(g, "GroupKey").first_child(); v; v = v.next_sibling()) {
        if (LocalName(v) == "Value") place(v.attribute("id").value(), v.attribute("value").value());
      }
      for (pugi::xml_node v = ChildByLocalName(g, "Attributes").first_child(); v; v = v.next_sibling()) {
        if (LocalName(v) == "Value") out.attributes.push_back({v.attribute("id").value(), v.attribute("value").value()});
      }
    } else {
      for (pugi::xml_attribute a = g.first_attribute(); a; a = a.next_attribute()) {
        std::string_view name = a.name();
        if (name.find(':') == std::string_view::npos && name != "xmlns") place(name, a.value());
      }
    }
    return out;
  }

  // Reads DataSet children, one chunk at a time, until something is queued.
  void Advance() override {
    while (status_.ok() && queue_.empty() && dataset_open_) {
      XmlScanner::Token t = scanner_.Next();
      if (t == XmlScanner::Token::kError || t == XmlScanner::Token::kEof) {
        if (t == XmlScanner::Token::kEof) {
          (void)FailBefore(end_of_message(), "well-formed-xml", "unexpected end of document");
        } else {
          (void)FailScan();
        }
        return;
      }
      if (t == XmlScanner::Token::kEnd) {
        if (scanner_.depth() == 1) {  // this DataSet closed: on to the next, if any
          if (!FindDataSet()) {
            dataset_open_ = false;
            return;
          }
          if (dataset_begin_ == std::string_view::npos) {
            dataset_open_ = false;
            (void)CheckText(end_of_message());  // what follows the last DataSet (Footer...)
            return;
          }
          if (!EnterDataSet().ok()) return;
        }
        continue;
      }
      const size_t begin = scanner_.begin();
      if (!scanner_.self_closing() && !scanner_.SkipElement()) {
        (void)FailScan();
        return;
      }
      pugi::xml_node node = ParseChunk(begin, scanner_.end());
      if (!node) return;
      std::string_view ln = LocalName(node);
      if (ln == "Group") {
        groups_.push_back(ReadGroup(node));
      } else if (ln == "Attributes" && generic_) {
        for (pugi::xml_node v = node.first_child(); v; v = v.next_sibling()) {
          if (LocalName(v) == "Value") dataset_attributes_.push_back({v.attribute("id").value(), v.attribute("value").value()});
        }
      } else if (ln == "Series" || ln == "Obs") {
        if (++series_read_ > options_.max_series) {
          (void)Fail(node, "max-series", "more than " + std::to_string(options_.max_series) +
                                             " series in one message (DataReaderOptions.max_series)");
          return;
        }
        if (!(ln == "Series" ? ReadSeries(node) : ReadObservations(node, node, {}, {}, ""))) return;
      }
    }
  }

  // What a component id is to the DSD: the time dimension, the measure, a
  // dimension (its index >= 0), or anything else (kOther: an attribute,
  // known or not, which the Validator judges).
  static constexpr int kTime = -1, kMeasure = -2, kOther = -3, kIgnored = -4;
  int RoleOf(std::string_view id, bool measure_allowed) const {
    if (id == dsd_->time_dimension) return kTime;
    if (measure_allowed && id == dsd_->primary_measure) return kMeasure;
    int idx = dsd_->DimensionIndex(id);
    return idx >= 0 ? idx : kOther;
  }

  void PlaceByRole(int role, std::string_view id, std::string_view value, std::vector<std::string>* key, Fields* attrs,
                   std::string* period, std::string* obs_value) {
    if (role == kTime) {
      *period = value;
    } else if (role == kMeasure && obs_value) {
      *obs_value = value;
    } else if (role >= 0) {
      (*key)[role] = value;
    } else {
      attrs->push_back({std::string(id), std::string(value)});
    }
  }

  // Routes one component value by its role in the DSD.
  void Place(std::string_view id, std::string_view value, std::vector<std::string>* key, Fields* attrs,
             std::string* period, std::string* obs_value) {
    PlaceByRole(RoleOf(id, obs_value != nullptr), id, value, key, attrs, period, obs_value);
  }

  // False (reported) when an attribute comes twice: XML forbids it and
  // pugixml keeps both.
  bool PlaceXmlAttributes(const pugi::xml_node& n, std::vector<std::string>* key, Fields* attrs, std::string* period,
                          std::string* obs_value) {
    // Observations of one series name their XML attributes in the same
    // order: remember the role found at each position and confirm it with
    // one compare, instead of searching the DSD per value.
    std::vector<std::pair<std::string, int>>& roles = obs_value ? obs_roles_ : series_roles_;
    size_t i = 0;
    bool changed = false;
    for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute(), ++i) {
      const char* raw = a.name();
      if (i >= roles.size()) roles.emplace_back();
      auto& [cached_name, role] = roles[i];
      if (std::strcmp(raw, cached_name.c_str()) != 0) {
        std::string_view name = raw;
        cached_name = name;
        role = name.find(':') != std::string_view::npos || name == "xmlns" ? kIgnored  // xsi:type etc.
                                                                            : RoleOf(name, obs_value != nullptr);
        changed = true;
      }
      if (role != kIgnored) PlaceByRole(role, cached_name, a.value(), key, attrs, period, obs_value);
    }
    // Duplicates, at no cost in the common case: the cache holds exactly the
    // names of the last element that changed it, found distinct then, so an
    // element matching a prefix of it has distinct names. Only a change
    // (rare: observations repeat their layout) costs a pairwise check.
    if (!changed) return true;
    roles.resize(i);
    for (size_t j = 1; j < i; ++j) {
      for (size_t k = 0; k < j; ++k) {
        if (roles[j].first != roles[k].first) continue;
        const std::string dup = roles[j].first;
        roles.clear();
        (void)Fail(n, "well-formed-xml", "attribute " + dup + " appears twice in <" + std::string(LocalName(n)) + ">");
        return false;
      }
    }
    return true;
  }

  // Generic: <Value id= value=/> children of `holder`.
  void PlaceGenericValues(const pugi::xml_node& holder, std::vector<std::string>* key, Fields* attrs,
                          std::string* period, bool attributes_only) {
    for (pugi::xml_node v = holder.first_child(); v; v = v.next_sibling()) {
      if (LocalName(v) != "Value") continue;
      std::string_view id = v.attribute(v20_ ? "concept" : "id").value();
      std::string_view value = v.attribute("value").value();
      if (attributes_only) {
        attrs->push_back({std::string(id), std::string(value)});
      } else {
        Place(id, value, key, attrs, period, nullptr);
      }
    }
  }

  bool ReadSeries(const pugi::xml_node& n) {
    std::vector<std::string> key(dsd_->dimensions.size());
    Fields attrs;
    std::string period;  // a cross-section carries TIME_PERIOD at series level
    if (generic_) {
      PlaceGenericValues(ChildByLocalName(n, "SeriesKey"), &key, &attrs, &period, false);
      PlaceGenericValues(ChildByLocalName(n, "Attributes"), &key, &attrs, &period, true);
    } else {
      if (!PlaceXmlAttributes(n, &key, &attrs, &period, nullptr)) return false;
      if (pugi::xml_node comp = ChildByLocalName(n, "Comp")) {
        (void)Fail(comp, "unsupported-complex-attribute", "complex attribute values (Comp) are not supported yet");
        return false;
      }
    }
    return ReadObservations(n, n.first_child(), key, attrs, period);
  }

  // Reads the Obs elements from `first` on (or `first` alone when it is a
  // flat Obs) and queues one series per distinct key among them.
  bool ReadObservations(const pugi::xml_node& series_node, pugi::xml_node first, const std::vector<std::string>& base_key,
                        const Fields& series_attrs, const std::string& series_period) {
    const bool flat = LocalName(series_node) == "Obs";
    std::vector<std::string> base = base_key.empty() ? std::vector<std::string>(dsd_->dimensions.size()) : base_key;
    std::map<std::vector<std::string>, size_t> by_key;
    const size_t queued_before = queue_.size();
    auto series_for = [&](const std::vector<std::string>& key) -> Series& {
      auto [it, inserted] = by_key.emplace(key, queue_.size());
      if (inserted) {
        Series s;
        s.key = key;
        s.line = Line(series_node);
        s.attributes = series_attrs;
        AddInherited(&s);
        queue_.push_back(std::move(s));
      }
      return queue_[it->second];
    };
    // Time series (the common layout): every observation shares the series
    // key, so no per-observation key copy and no grouping.
    const bool time_series = !flat && dataset_.dimension_at_observation == dsd_->time_dimension;
    Series* ts = time_series ? &series_for(base) : nullptr;
    if (ts) {
      // Sized once: growing a vector of observations moves every one of them.
      size_t children = 0;
      for (pugi::xml_node o = first; o; o = o.next_sibling()) ++children;
      ts->observations.reserve(ts->observations.size() + children);
      // Stays all-empty unless an observation names a dimension (an error).
      scratch_key_.assign(dsd_->dimensions.size(), std::string());
    }
    for (pugi::xml_node o = first; o; o = flat ? pugi::xml_node() : o.next_sibling()) {
      if (LocalName(o) != "Obs") continue;
      if (ts) {
        if (++observations_read_ > options_.max_observations) {
          (void)Fail(o, "max-observations", "more than " + std::to_string(options_.max_observations) +
                                                " observations in one message (DataReaderOptions.max_observations)");
          return false;
        }
        Observation& obs = ts->observations.emplace_back();
        obs.attributes.reserve(obs_attribute_count_);
        obs.line = Line(o);
        obs.period = series_period;
        if (generic_) {
          ReadGenericObs(o, &scratch_key_, &obs);
        } else if (!PlaceXmlAttributes(o, &scratch_key_, &obs.attributes, &obs.period, &obs.value)) {
          return false;
        }
        for (size_t i = 0; i < scratch_key_.size(); ++i) {
          if (!scratch_key_[i].empty()) {
            (void)Fail(o, "dimension-at-observation", "dimension " + dsd_->dimensions[i].id +
                                                          " given on an observation of a time series layout");
            return false;
          }
        }
        continue;
      }
      if (++observations_read_ > options_.max_observations) {
        (void)Fail(o, "max-observations", "more than " + std::to_string(options_.max_observations) +
                                              " observations in one message (DataReaderOptions.max_observations)");
        return false;
      }
      std::vector<std::string> key = base;
      Observation obs;
      obs.attributes.reserve(obs_attribute_count_);
      obs.line = Line(o);
      obs.period = series_period;
      Fields* series_attrs_out = nullptr;
      Fields flat_series_attrs;
      if (generic_) {
        ReadGenericObs(o, &key, &obs);
      } else if (!PlaceXmlAttributes(o, &key, &obs.attributes, &obs.period, &obs.value)) {
        return false;
      }
      if (flat || dataset_.dimension_at_observation != dsd_->time_dimension) {
        // Flat and cross-sectional observations carry series-level attributes
        // too (they vary with the observation's dimensions): move them up.
        Fields obs_level;
        for (Field& f : obs.attributes) {
          const Attribute* a = dsd_->FindAttribute(f.id);
          (a && a->level != AttachmentLevel::kObservation ? flat_series_attrs : obs_level).push_back(std::move(f));
        }
        obs.attributes = std::move(obs_level);
        series_attrs_out = &flat_series_attrs;
      }
      Series& s = series_for(key);
      if (series_attrs_out) {
        for (Field& f : *series_attrs_out) {
          if (!FindField(s.attributes, f.id)) s.attributes.push_back(std::move(f));
        }
      }
      s.observations.push_back(std::move(obs));
    }
    // A series without observations (a series-key-only message) is still a series.
    if (queue_.size() == queued_before && !flat) series_for(base);
    return true;
  }

  void ReadGenericObs(const pugi::xml_node& o, std::vector<std::string>* key, Observation* obs) {
    for (pugi::xml_node c = o.first_child(); c; c = c.next_sibling()) {
      std::string_view ln = LocalName(c);
      if (ln == "ObsDimension") {
        std::string id = c.attribute("id").value();
        if (id.empty()) id = dataset_.dimension_at_observation;
        Place(id, c.attribute("value").value(), key, &obs->attributes, &obs->period, nullptr);
      } else if (ln == "ObsValue") {
        obs->value = c.attribute("value").value();
      } else if (ln == "Time") {  // 2.0
        obs->period = c.text().get();
      } else if (ln == "Attributes") {
        PlaceGenericValues(c, key, &obs->attributes, &obs->period, true);
      } else if (ln == "ObsKey") {
        PlaceGenericValues(c, key, &obs->attributes, &obs->period, false);
      }
    }
  }

  // Group and dataset attributes that apply to `s` (its own values win).
  void AddInherited(Series* s) const {
    for (const GroupAttributes& g : groups_) {
      bool match = true;
      for (const auto& [idx, code] : g.key) match &= s->key[idx] == code;
      if (!match) continue;
      for (const Field& f : g.attributes) {
        if (!FindField(s->attributes, f.id)) s->attributes.push_back(f);
      }
    }
    for (const Field& f : dataset_attributes_) {
      if (!FindField(s->attributes, f.id)) s->attributes.push_back(f);
    }
  }

  std::string_view buffer_;
  LineIndex lines_;
  XmlScanner scanner_;
  const hub::ArrivingBytes* source_ = nullptr;  // set when reading an upload as it arrives
  size_t obs_attribute_count_ = 0;
  bool v20_ = false;  // SDMX-ML 2.0 GenericData  // of dsd_: what an observation usually carries
  pugi::xml_document doc_;          // root + Header (everything before the first DataSet)
  pugi::xml_document dataset_doc_;  // the current DataSet start tag
  pugi::xml_document chunk_doc_;    // the current DataSet child (Series, Obs, Group)
  std::string dataset_tag_;
  size_t dataset_begin_ = std::string_view::npos;
  size_t dataset_tag_end_ = 0;  // just past the DataSet start tag
  size_t checked_ = 0;          // bytes before this offset passed CheckText
  bool dataset_open_ = false;
  size_t chunk_begin_ = 0;
  bool generic_ = false;
  std::string header_action_;
  std::map<std::string, HeaderStructure> header_structures_;
  pugi::xml_node dataset_node_;
  Fields dataset_attributes_;
  std::vector<GroupAttributes> groups_;
  std::vector<std::string> scratch_key_;  // catches dimensions misplaced on observations
  // PlaceXmlAttributes' role by attribute position, for observations and series.
  std::vector<std::pair<std::string, int>> obs_roles_, series_roles_;
  size_t series_read_ = 0;
  size_t observations_read_ = 0;
};

}  // namespace

hub::Result<std::unique_ptr<DataReader>> OpenXmlDataReader(std::string_view buffer, std::string file,
                                                           const StructureSet& structures,
                                                           const DataReaderOptions& options, Diagnostics* diags) {
  return OpenQueuedReader<XmlDataReader>(buffer, std::move(file), structures, options, diags);
}

hub::Result<std::unique_ptr<DataReader>> OpenXmlDataReader(const hub::ArrivingBytes* source, std::string file,
                                                           const StructureSet& structures,
                                                           const DataReaderOptions& options, Diagnostics* diags) {
  return OpenQueuedReader<XmlDataReader>(source, std::move(file), structures, options, diags);
}

}  // namespace sdmx
