// SDMX-JSON 1.0 and 2.0 data messages. They share the data part (series
// keyed by value indexes, observations as [value, attribute indexes...]);
// 1.0 has a "header" and one "structure" (linked by URN), 2.0 a "meta" and a
// "structures" list that each dataSet points into, plus "measures".
//
// SDMX-JSON refers to dimension and attribute values by their index in the
// `structures` section. To stream, this writer emits `dataSets` first while
// numbering values as they appear, then `structures` at the end: JSON object
// members are unordered, so readers find both wherever they stand.
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "sdmx/buffered_writer.h"
#include "sdmx/component_names.h"
#include "sdmx/structure_writer.h"

namespace sdmx {
namespace {

void AppendJsonString(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  *out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20) {
          *out += "\\u00";
          *out += kHex[c >> 4];
          *out += kHex[c & 15];
        } else {
          *out += static_cast<char>(c);
        }
    }
  }
  *out += '"';
}

// True when `s` is a number in JSON's grammar, so it can be written verbatim
// ("45.0" stays "45.0": the hub never reformats an agency's value).
bool IsJsonNumber(std::string_view s) {
  size_t i = 0, n = s.size();
  auto digits = [&] {
    size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

// Values of one component, numbered in order of first appearance.
struct ValueIndex {
  std::string id;
  const Component* component = nullptr;  // null for the time dimension
  std::vector<std::string> values;
  std::unordered_map<std::string, size_t> index;
  size_t Of(const std::string& v) {
    auto [it, inserted] = index.emplace(v, values.size());
    if (inserted) values.push_back(v);
    return it->second;
  }
};

class JsonWriter final : public BufferedWriter {
 public:
  JsonWriter(WriteContext ctx, Sink sink, bool v1) : BufferedWriter(std::move(ctx), std::move(sink)), v1_(v1) {
    for (const MessageStructure& m : ctx_.structures) {
      Values& v = values_.emplace_back();
      for (const Dimension& d : m.dsd->dimensions) v.dims.push_back({d.id, &d, {}, {}});
      v.time.id = m.dsd->time_dimension;
      for (const Attribute& a : m.dsd->attributes) {
        (a.level == AttachmentLevel::kObservation ? v.obs_attrs : v.series_attrs).push_back({a.id, &a, {}, {}});
      }
    }
    UseStructure(0);
    out_ += v1_ ? "{\"header\":{\"id\":"
               : "{\"meta\":{\"schema\":\"https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json\",\"id\":";
    AppendJsonString(&out_, ctx_.message_id);
    out_ += ",\"test\":false,\"prepared\":";
    AppendJsonString(&out_, ctx_.prepared);
    if (!v1_) out_ += ",\"contentLanguages\":[\"en\"]";
    out_ += ",\"sender\":{\"id\":";
    AppendJsonString(&out_, ctx_.sender);
    out_ += v1_ ? "}},\"dataSets\":[" : "}},\"data\":{\"dataSets\":[";
    OpenDataSet({ctx_.action, ctx_.valid_from, ctx_.valid_to});
  }

  void NextDataSetOf(size_t structure, const DataSetHeader& h) override {
    out_ += "}},";
    UseStructure(structure);
    OpenDataSet(h);
  }

  void WriteSeries(const Series& s) override {
    if (ctx_.all_dimensions) return WriteFlat(s);
    std::string key;
    for (size_t i = 0; i < dims_->size(); ++i) {
      if (i) key += ':';
      key += std::to_string((*dims_)[i].Of(i < s.key.size() ? s.key[i] : ""));
    }
    // JSON object keys must be unique: a series key seen again in this
    // dataSet (a series split over several Series elements) opens another.
    if (!keys_in_dataset_.insert(key).second) {
      NextDataSet(dataset_);
      keys_in_dataset_ = {key};
    }
    if (series_written_++) out_ += ',';
    AppendJsonString(&out_, key);
    out_ += ":{\"attributes\":";
    AttributeIndexes(*series_attrs_, s.attributes);
    out_ += ",\"observations\":{";
    for (size_t i = 0; i < s.observations.size(); ++i) {
      const Observation& o = s.observations[i];
      if (i) out_ += ',';
      AppendJsonString(&out_, std::to_string(time_->Of(o.period)));
      out_ += ':';
      ObservationArray(o, nullptr);
    }
    out_ += "}}";
    MaybeFlush();
  }

  // AllDimensions: the dataSet's "observations" keyed by every dimension and
  // the time, each carrying series and observation attributes alike.
  void WriteFlat(const Series& s) {
    std::string series_part;
    for (size_t i = 0; i < dims_->size(); ++i) {
      series_part += std::to_string((*dims_)[i].Of(i < s.key.size() ? s.key[i] : ""));
      series_part += ':';
    }
    for (const Observation& o : s.observations) {
      const std::string key = series_part + std::to_string(time_->Of(o.period));
      if (!keys_in_dataset_.insert(key).second) {
        NextDataSet(dataset_);
        keys_in_dataset_ = {key};
      }
      if (series_written_++) out_ += ',';
      AppendJsonString(&out_, key);
      out_ += ':';
      ObservationArray(o, &s.attributes);
    }
    MaybeFlush();
  }

  // [value, attribute indexes...]; with `series_attributes` (flat), the
  // series-level attributes come first.
  void ObservationArray(const Observation& o, const Fields* series_attributes) {
    out_ += '[';
    if (o.value.empty()) {
      out_ += "null";  // absent; NaN and #N/A are strings below, so they stay apart from it
    } else if (IsJsonNumber(o.value)) {
      out_ += o.value;
    } else {
      AppendJsonString(&out_, o.value);
    }
    if (series_attributes) {
      for (auto& a : *series_attrs_) {
        const std::string* v = FindField(*series_attributes, a.id);
        out_ += ',';
        out_ += v ? std::to_string(a.Of(*v)) : "null";
      }
    }
    for (auto& a : *obs_attrs_) {
      const std::string* v = FindField(o.attributes, a.id);
      out_ += ',';
      out_ += v ? std::to_string(a.Of(*v)) : "null";
    }
    out_ += ']';
  }

  void Finish() override {
    out_ += v1_ ? "}}]," : "}}],\"structures\":[";
    // 1.0 has one structure: CarriesStructures() keeps others out.
    for (size_t i = 0; i < (v1_ ? 1 : values_.size()); ++i) {
      if (i) out_ += ',';
      UseStructure(i);
      WriteStructure();
    }
    out_ += v1_ ? "}\n" : "]}}\n";
    Flush();
  }

 private:
  // One component's values, numbered as met, for each structure.
  struct Values {
    std::vector<ValueIndex> dims;
    ValueIndex time;
    std::vector<ValueIndex> series_attrs;
    std::vector<ValueIndex> obs_attrs;
  };

  void UseStructure(size_t i) {
    Select(i);
    Values& v = values_[i];
    dims_ = &v.dims;
    time_ = &v.time;
    series_attrs_ = &v.series_attrs;
    obs_attrs_ = &v.obs_attrs;
  }

  // The current structure's entry ("structure" in 1.0, one of "structures"
  // in 2.0), its values as numbered by the dataSets.
  void WriteStructure() {
    const std::string dsd_urn = MaintainableUrn("datastructure.DataStructure", ctx_.dsd->ref);
    if (v1_) {
      out_ += "\"structure\":{\"links\":[{\"rel\":\"datastructure\",\"urn\":";
      AppendJsonString(&out_, dsd_urn);
      out_ += '}';
      if (ctx_.dataflow) {
        out_ += ",{\"rel\":\"dataflow\",\"urn\":";
        AppendJsonString(&out_, MaintainableUrn("datastructure.Dataflow", *ctx_.dataflow));
        out_ += '}';
      }
      out_ += ']';
    } else {
      out_ += "{\"links\":";
      AppendStructureLinks();
    }
    const bool flat = ctx_.all_dimensions;
    out_ += flat ? ",\"dimensions\":{\"dataSet\":[],\"series\":[],\"observation\":["
                 : ",\"dimensions\":{\"dataSet\":[],\"series\":[";
    for (size_t i = 0; i < dims_->size(); ++i) {
      if (i) out_ += ',';
      Component((*dims_)[i], static_cast<int>(i), false);
    }
    out_ += flat ? "" : "],\"observation\":[";
    // A dimension lists at least one value: with no observations
    // (serieskeysonly, nodata) 2.0 leaves the time dimension out.
    if (v1_ || !time_->values.empty()) {
      if (flat) out_ += ',';
      Component(*time_, static_cast<int>(dims_->size()), true);
    }
    out_ += "]},\"attributes\":{\"dataSet\":[],\"series\":[";
    if (!flat) Components(*series_attrs_);
    out_ += "],\"observation\":[";
    if (flat) {
      Components(*series_attrs_);
      if (!series_attrs_->empty() && !obs_attrs_->empty()) out_ += ',';
    }
    Components(*obs_attrs_);
    if (v1_) {
      out_ += "]}}";  // 1.0 has no measures section: the value is the observation's first element
    } else {
      out_ += "]},\"measures\":{\"observation\":[{\"id\":";
      AppendJsonString(&out_, ctx_.dsd->primary_measure);
      out_ += ",\"name\":";
      AppendJsonString(&out_, Names().Concept(ctx_.dsd->primary_measure));
      out_ += "}]}}";
    }
  }

  // 2.0: the dataflow (when one was asked for) and the data structure.
  void AppendStructureLinks() {
    out_ += '[';
    if (ctx_.dataflow) {
      out_ += "{\"rel\":\"dataflow\",\"urn\":";
      AppendJsonString(&out_, MaintainableUrn("datastructure.Dataflow", *ctx_.dataflow));
      out_ += "},";
    }
    out_ += "{\"rel\":\"datastructure\",\"urn\":";
    AppendJsonString(&out_, MaintainableUrn("datastructure.DataStructure", ctx_.dsd->ref));
    out_ += "}]";
  }

  // Names of the current structure's components and codes.
  ComponentNames Names() const { return ComponentNames(ctx_.names, *ctx_.dsd); }

  void OpenDataSet(const DataSetHeader& h) {
    dataset_ = h;
    keys_in_dataset_.clear();
    series_written_ = 0;
    if (v1_) {
      out_ += "{";
    } else {
      out_ += "{\"structure\":" + std::to_string(structure_) + ",\"links\":";
      AppendStructureLinks();
      out_ += ',';
    }
    // Readers such as sdmx1 require an action; a plain read of the current
    // state is "Information" (SDMX 3.1: what carries no action is a Merge).
    out_ += "\"action\":";
    AppendJsonString(&out_, h.action ? ActionName(*h.action) : "Information");
    out_ += ',';
    if (!h.valid_from.empty()) {
      out_ += "\"validFrom\":";
      AppendJsonString(&out_, h.valid_from);
      out_ += ',';
    }
    if (!h.valid_to.empty()) {
      out_ += "\"validTo\":";
      AppendJsonString(&out_, h.valid_to);
      out_ += ',';
    }
    out_ += ctx_.all_dimensions ? "\"observations\":{" : "\"series\":{";
  }

  void AttributeIndexes(std::vector<ValueIndex>& attrs, const Fields& fields) {
    out_ += '[';
    for (size_t i = 0; i < attrs.size(); ++i) {
      if (i) out_ += ',';
      const std::string* v = FindField(fields, attrs[i].id);
      out_ += v ? std::to_string(attrs[i].Of(*v)) : "null";
    }
    out_ += ']';
  }

  void Component(const ValueIndex& c, int key_position, bool time) {
    out_ += "{\"id\":";
    AppendJsonString(&out_, c.id);
    out_ += ",\"name\":";
    AppendJsonString(&out_, Names().Concept(c.id));
    if (key_position >= 0) out_ += ",\"keyPosition\":" + std::to_string(key_position);
    if (time) out_ += ",\"roles\":[\"TIME_PERIOD\"]";
    if (key_position < 0 && !v1_) Relationship(c);
    // 2.0 wants at least one value in a list, or none (attributes); a
    // dimension always lists its values.
    if (c.values.empty() && key_position < 0 && !v1_) {
      out_ += '}';
      return;
    }
    out_ += ",\"values\":[";
    for (size_t i = 0; i < c.values.size(); ++i) {
      if (i) out_ += ',';
      // 2.0: a code is {id, name}, anything else (a period, free text) a
      // {value}; 1.0 identifies every value by id.
      const bool coded = c.component && c.component->codelist;
      if (!v1_ && (time || !coded)) {
        out_ += "{\"value\":";
        AppendJsonString(&out_, c.values[i]);
      } else {
        out_ += "{\"id\":";
        AppendJsonString(&out_, c.values[i]);
        out_ += ",\"name\":";
        AppendJsonString(&out_, time ? c.values[i] : Names().Code(c.id, c.values[i]));
      }
      out_ += '}';
    }
    out_ += "]}";
  }

  // 2.0: what an attribute's value varies with, from its attachment level.
  void Relationship(const ValueIndex& c) {
    const auto* a = static_cast<const Attribute*>(c.component);
    if (!a || a->level == AttachmentLevel::kObservation) {
      out_ += ",\"relationship\":{\"observation\":{}}";
    } else if (a->level == AttachmentLevel::kDataSet) {
      out_ += ",\"relationship\":{\"dataflow\":{}}";
    } else {  // series (and groups, written at series level): the dimensions
      out_ += ",\"relationship\":{\"dimensions\":[";
      for (size_t i = 0; i < ctx_.dsd->dimensions.size(); ++i) {
        if (i) out_ += ',';
        AppendJsonString(&out_, ctx_.dsd->dimensions[i].id);
      }
      out_ += "]}";
    }
  }

  void Components(const std::vector<ValueIndex>& cs) {
    for (size_t i = 0; i < cs.size(); ++i) {
      if (i) out_ += ',';
      Component(cs[i], -1, false);
    }
  }

  std::vector<Values> values_;  // one per structure
  // The current structure's, in values_.
  std::vector<ValueIndex>* dims_ = nullptr;
  ValueIndex* time_ = nullptr;
  std::vector<ValueIndex>* series_attrs_ = nullptr;
  std::vector<ValueIndex>* obs_attrs_ = nullptr;
  size_t series_written_ = 0;
  std::unordered_set<std::string> keys_in_dataset_;
  DataSetHeader dataset_;  // the open one
  const bool v1_;
};

}  // namespace

std::unique_ptr<DataWriter> NewJsonWriter(WriteContext ctx, Sink sink, bool v1) {
  return std::make_unique<JsonWriter>(std::move(ctx), std::move(sink), v1);
}

}  // namespace sdmx
