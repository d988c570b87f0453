#include "sdmx/data_reader.h"

#include <map>

namespace sdmx {
namespace {

struct HeaderStructure {
  const DataStructure* dsd = nullptr;
  std::optional<ArtefactRef> dataflow;
  std::string dimension_at_observation = "TIME_PERIOD";
};

std::optional<ArtefactRef> RefIn(const pugi::xml_node& holder) {
  if (!holder) return std::nullopt;
  if (pugi::xml_node ref = ChildByLocalName(holder, "Ref")) {
    return ArtefactRef{ref.attribute("agencyID").value(), ref.attribute("id").value(),
                       ref.attribute("version").value()};
  }
  std::string urn = ChildText(holder, "URN");
  size_t eq = urn.find('='), colon = urn.find(':', eq), open = urn.find('(', colon);
  size_t close = urn.find(')', open);
  if (eq == std::string::npos || colon == std::string::npos || open == std::string::npos ||
      close == std::string::npos) {
    return std::nullopt;
  }
  return ArtefactRef{urn.substr(eq + 1, colon - eq - 1), urn.substr(colon + 1, open - colon - 1),
                     urn.substr(open + 1, close - open - 1)};
}

class XmlDataReader final : public DataReader {
 public:
  XmlDataReader(std::string_view buffer, std::string file, const StructureSet& structures,
                const DataReaderOptions& options, Diagnostics* diags)
      : buffer_(buffer), file_(std::move(file)), structures_(structures), options_(options),
        diags_(diags), lines_(buffer) {}

  hub::Status Init() {
    HUB_RETURN_IF_ERROR(ParseXml(buffer_, file_, options_.xml, lines_, &doc_, diags_));
    pugi::xml_node root = doc_.document_element();
    std::string_view kind = LocalName(root);
    if (NamespaceOf(root).find("/v2_0/") != std::string::npos) {
      return Fail(root, "message-version", "SDMX-ML 2.0 data messages are not supported yet (send SDMX-ML 2.1)");
    }
    generic_ = kind == "GenericData" || kind == "GenericTimeSeriesData";
    if (!generic_ && kind != "StructureSpecificData" && kind != "StructureSpecificTimeSeriesData") {
      return Fail(root, "message-type",
                  "unsupported message '" + std::string(kind) +
                      "': expected SDMX-ML 2.1 GenericData or StructureSpecificData");
    }
    HUB_RETURN_IF_ERROR(ReadHeader(ChildByLocalName(root, "Header")));
    dataset_node_ = ChildByLocalName(root, "DataSet");
    if (dataset_node_) {
      HUB_RETURN_IF_ERROR(EnterDataSet());
      item_ = dataset_node_.first_child();
      Advance();
    }
    return status_;
  }

  const MessageHeader& header() const override { return header_; }
  bool Valid() const override { return valid_; }
  void Next() override {
    item_ = item_.next_sibling();
    Advance();
  }
  const Series& series() const override { return series_; }
  const DataSetInfo& dataset() const override { return dataset_; }
  const DataStructure& structure() const override { return *dsd_; }
  const hub::Status& status() const override { return status_; }

 private:
  hub::Status Fail(const pugi::xml_node& n, const std::string& rule, const std::string& msg) {
    Diagnostic d{file_, lines_.LineOf(n), std::string(LocalName(n)), rule, msg};
    status_ = hub::Status::InvalidArgument(d.ToString());
    diags_->Add(std::move(d));
    valid_ = false;
    return status_;
  }

  hub::Status ReadHeader(const pugi::xml_node& h) {
    if (!h) return Fail(doc_.document_element(), "header", "message has no Header");
    header_.id = ChildText(h, "ID");
    header_.test = ChildText(h, "Test") == "true";
    header_.prepared = ChildText(h, "Prepared");
    header_.sender = ChildByLocalName(h, "Sender").attribute("id").value();
    header_action_ = ChildText(h, "DataSetAction");
    for (pugi::xml_node s = h.first_child(); s; s = s.next_sibling()) {
      if (LocalName(s) != "Structure") continue;
      HeaderStructure hs;
      std::string dim_at_obs = s.attribute("dimensionAtObservation").value();
      if (!dim_at_obs.empty()) hs.dimension_at_observation = dim_at_obs;
      std::optional<ArtefactRef> ref;
      if (auto dsd_ref = RefIn(ChildByLocalName(s, "Structure"))) {
        hs.dsd = structures_.FindDataStructure(*dsd_ref);
        ref = dsd_ref;
      } else if (auto flow_ref = RefIn(ChildByLocalName(s, "StructureUsage"))) {
        ref = flow_ref;
        if (const Dataflow* df = structures_.FindDataflow(*flow_ref)) {
          hs.dataflow = df->ref;
          hs.dsd = structures_.FindDataStructure(df->structure);
        }
      } else {
        return Fail(s, "structure-ref", "header Structure names no structure or dataflow");
      }
      if (!hs.dsd) {
        return Fail(s, "structure-known", "structure " + ref->ToString() + " is not known to the hub");
      }
      header_structures_[s.attribute("structureID").value()] = hs;
    }
    if (header_structures_.empty()) return Fail(h, "structure-ref", "header has no Structure");
    return hub::Status::Ok();
  }

  hub::Status EnterDataSet() {
    std::string ref(AttrByLocalName(dataset_node_, "structureRef"));
    auto it = header_structures_.find(ref);
    if (it == header_structures_.end()) {
      if (header_structures_.size() != 1) {
        return Fail(dataset_node_, "structure-ref", "DataSet structureRef '" + ref + "' is not declared in the header");
      }
      it = header_structures_.begin();
    }
    dsd_ = it->second.dsd;
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
    if (dao != dsd_->time_dimension && dao != "AllDimensions") {
      return Fail(dataset_node_, "dimension-at-observation",
                  "dimensionAtObservation=" + dao + " is not supported yet (use " + dsd_->time_dimension +
                      " or AllDimensions)");
    }
    return hub::Status::Ok();
  }

  // Moves to the next Series/Obs element at or after item_, across DataSets.
  void Advance() {
    valid_ = false;
    if (!status_.ok()) return;
    while (dataset_node_) {
      for (; item_; item_ = item_.next_sibling()) {
        if (item_.type() != pugi::node_element) continue;
        std::string_view ln = LocalName(item_);
        if (ln == "Series" || ln == "Obs") {
          if (++series_read_ > options_.max_series) {
            (void)Fail(item_, "max-series", "more than " + std::to_string(options_.max_series) +
                                                " series in one message (DataReaderOptions.max_series)");
            return;
          }
          if (ln == "Series" ? ReadSeries(item_) : ReadFlatObs(item_)) valid_ = true;
          return;
        }
        if (ln == "Group") {
          (void)Fail(item_, "unsupported-group", "Group elements are not supported yet");
          return;
        }
      }
      do {
        dataset_node_ = dataset_node_.next_sibling();
      } while (dataset_node_ && LocalName(dataset_node_) != "DataSet");
      if (!dataset_node_) return;
      if (!EnterDataSet().ok()) return;
      item_ = dataset_node_.first_child();
    }
  }

  // Routes one component value to the key, the period, the value or the attributes.
  void Place(std::string_view id, std::string_view value, Series* s, Observation* obs) {
    if (obs && id == dsd_->time_dimension) {
      obs->period = value;
    } else if (obs && id == dsd_->primary_measure) {
      obs->value = value;
    } else if (int idx = dsd_->DimensionIndex(id); idx >= 0) {
      s->key[idx] = value;
    } else if (obs) {
      obs->attributes.push_back({std::string(id), std::string(value)});
    } else {
      s->attributes.push_back({std::string(id), std::string(value)});
    }
  }

  void PlaceXmlAttributes(const pugi::xml_node& n, Series* s, Observation* obs) {
    for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
      std::string_view name = a.name();
      if (name.find(':') != std::string_view::npos || name == "xmlns") continue;  // xsi:type etc.
      Place(name, a.value(), s, obs);
    }
  }

  // Generic: <Value id= value=/> children of `holder`.
  void PlaceGenericValues(const pugi::xml_node& holder, Series* s, Observation* obs, bool attrs) {
    for (pugi::xml_node v = holder.first_child(); v; v = v.next_sibling()) {
      if (LocalName(v) != "Value") continue;
      std::string_view id = v.attribute("id").value();
      std::string_view value = v.attribute("value").value();
      if (attrs) {
        (obs ? obs->attributes : s->attributes).push_back({std::string(id), std::string(value)});
      } else {
        Place(id, value, s, obs);
      }
    }
  }

  bool CountObservation(const pugi::xml_node& n) {
    if (++observations_read_ > options_.max_observations) {
      (void)Fail(n, "max-observations", "more than " + std::to_string(options_.max_observations) +
                                            " observations in one message (DataReaderOptions.max_observations)");
      return false;
    }
    return true;
  }

  void ReadGenericObs(const pugi::xml_node& o, Observation* obs, Series* s) {
    for (pugi::xml_node c = o.first_child(); c; c = c.next_sibling()) {
      std::string_view ln = LocalName(c);
      if (ln == "ObsDimension") {
        obs->period = c.attribute("value").value();
      } else if (ln == "ObsValue") {
        obs->value = c.attribute("value").value();
      } else if (ln == "Attributes") {
        PlaceGenericValues(c, s, obs, /*attrs=*/true);
      } else if (ln == "ObsKey") {
        PlaceGenericValues(c, s, obs, /*attrs=*/false);
      }
    }
  }

  bool ReadSeries(const pugi::xml_node& n) {
    series_ = Series{};
    series_.key.assign(dsd_->dimensions.size(), "");
    series_.line = lines_.LineOf(n);
    if (generic_) {
      PlaceGenericValues(ChildByLocalName(n, "SeriesKey"), &series_, nullptr, false);
      PlaceGenericValues(ChildByLocalName(n, "Attributes"), &series_, nullptr, true);
    } else {
      PlaceXmlAttributes(n, &series_, nullptr);
    }
    for (pugi::xml_node o = n.first_child(); o; o = o.next_sibling()) {
      if (LocalName(o) != "Obs") continue;
      if (!CountObservation(o)) return false;
      Observation obs;
      obs.line = lines_.LineOf(o);
      if (generic_) {
        ReadGenericObs(o, &obs, &series_);
      } else {
        PlaceXmlAttributes(o, &series_, &obs);
      }
      series_.observations.push_back(std::move(obs));
    }
    return true;
  }

  bool ReadFlatObs(const pugi::xml_node& o) {
    if (!CountObservation(o)) return false;
    series_ = Series{};
    series_.key.assign(dsd_->dimensions.size(), "");
    series_.line = lines_.LineOf(o);
    Observation obs;
    obs.line = series_.line;
    if (generic_) {
      ReadGenericObs(o, &obs, &series_);
    } else {
      PlaceXmlAttributes(o, &series_, &obs);
    }
    series_.observations.push_back(std::move(obs));
    return true;
  }

  std::string_view buffer_;
  std::string file_;
  const StructureSet& structures_;
  DataReaderOptions options_;
  Diagnostics* diags_;
  LineIndex lines_;
  pugi::xml_document doc_;
  bool generic_ = false;
  MessageHeader header_;
  std::string header_action_;
  std::map<std::string, HeaderStructure> header_structures_;
  pugi::xml_node dataset_node_;
  pugi::xml_node item_;
  const DataStructure* dsd_ = nullptr;
  DataSetInfo dataset_;
  Series series_;
  bool valid_ = false;
  size_t series_read_ = 0;
  size_t observations_read_ = 0;
  hub::Status status_;
};

}  // namespace

hub::Result<std::unique_ptr<DataReader>> DataReader::Open(std::string_view buffer, std::string file,
                                                          const StructureSet& structures,
                                                          const DataReaderOptions& options,
                                                          Diagnostics* diags) {
  auto reader = std::make_unique<XmlDataReader>(buffer, std::move(file), structures, options, diags);
  HUB_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<DataReader>(std::move(reader));
}

}  // namespace sdmx
