// SDMX-JSON data messages, 1.0 (`structure` beside `dataSets`) and 2.0
// (`data.structures[]` and `data.dataSets[]`). Keys, attributes and time
// periods are indices into the structure section; they are resolved back to
// codes and placed in DSD order. JSON numbers come back in their shortest
// round-trip form ("45.0" and "45" are the same number in JSON).
#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "sdmx/queued_reader.h"
#include "sdmx/text_check.h"
#include "sdmx/urn.h"

namespace sdmx {
namespace {

namespace json = boost::json;

// One structure component as the message lists it.
struct JsonComponent {
  std::string id;
  int key_position = -1;  // dimensions only
  std::vector<std::string> values;
};

std::string Scalar(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  if (v.is_double()) {
    double d = v.as_double();
    if (std::isnan(d)) return "NaN";
    char buf[32];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return ec == std::errc() ? std::string(buf, p) : std::string();
  }
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  return "";
}

std::vector<JsonComponent> Components(const json::value* list) {
  std::vector<JsonComponent> out;
  if (!list || !list->is_array()) return out;
  for (const json::value& c : list->as_array()) {
    if (!c.is_object()) continue;
    JsonComponent jc;
    if (const auto* id = c.as_object().if_contains("id")) jc.id = Scalar(*id);
    if (const auto* kp = c.as_object().if_contains("keyPosition"); kp && kp->is_int64()) {
      jc.key_position = static_cast<int>(kp->as_int64());
    }
    if (const auto* values = c.as_object().if_contains("values"); values && values->is_array()) {
      for (const json::value& v : values->as_array()) {
        const json::value* x = nullptr;
        if (v.is_object()) {
          x = v.as_object().if_contains("id");
          if (!x) x = v.as_object().if_contains("value");
        }
        jc.values.push_back(x ? Scalar(*x) : Scalar(v));
      }
    }
    out.push_back(std::move(jc));
  }
  return out;
}

const json::value* Path(const json::value& v, std::initializer_list<const char*> keys) {
  const json::value* cur = &v;
  for (const char* k : keys) {
    if (!cur->is_object()) return nullptr;
    cur = cur->as_object().if_contains(k);
    if (!cur) return nullptr;
  }
  return cur;
}

class JsonDataReader final : public QueuedReader {
 public:
  JsonDataReader(std::string_view buffer, std::string file, const StructureSet& structures,
                 const DataReaderOptions& options, Diagnostics* diags)
      : QueuedReader(std::move(file), structures, options, diags), buffer_(buffer) {}

  hub::Status Init() {
    // Before the parser, which refuses invalid UTF-8 and lone surrogates
    // too, but as a "syntax error": these say which character, where.
    if (std::optional<TextProblem> bad = CheckXmlChars(buffer_)) return FailText(*bad, " (SDMX-JSON is UTF-8)");
    if (std::optional<TextProblem> bad = CheckJsonEscapes(buffer_)) return FailText(*bad, "");
    json::parser p;
    json::error_code ec;
    // write() parses one complete JSON text and says how far it got.
    size_t used = p.write(buffer_.data(), buffer_.size(), ec);
    if (ec) {
      int line = 1 + static_cast<int>(std::count(buffer_.begin(), buffer_.begin() + std::min(used, buffer_.size()), '\n'));
      return Fail(line, "document", "well-formed-json", ec.message());
    }
    root_ = p.release();
    if (!root_.is_object()) return Fail(1, "document", "message-type", "an SDMX-JSON message is a JSON object");
    const json::value* data = Path(root_, {"data"});
    const json::value& body = data ? *data : root_;
    header_.id = Text(Path(root_, {"meta", "id"}));
    header_.prepared = Text(Path(root_, {"meta", "prepared"}));
    header_.sender = Text(Path(root_, {"meta", "sender", "id"}));
    if (header_.id.empty()) header_.id = Text(Path(root_, {"header", "id"}));
    if (const json::value* list = Path(body, {"structures"}); list && list->is_array()) {
      for (const json::value& s : list->as_array()) structures_list_.push_back(&s);
    } else if (const json::value* s = Path(body, {"structure"}); s && s->is_object()) {
      structures_list_.push_back(s);  // 1.0: one structure
    }
    if (structures_list_.empty()) return Fail(1, "structure", "structure-ref", "the message has no structure section");
    const json::value* sets = Path(body, {"dataSets"});
    if (sets && sets->is_array()) datasets_ = &sets->as_array();
    if (!datasets_ || datasets_->empty()) return status_;
    HUB_RETURN_IF_ERROR(EnterDataSet(0));
    Advance();
    return status_;
  }

 private:
  static std::string Text(const json::value* v) { return v ? Scalar(*v) : ""; }

  hub::Status FailText(const TextProblem& p, const char* hint) {
    const auto line = 1 + std::count(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(p.offset), '\n');
    return Fail(static_cast<int>(line), "string", p.rule, p.message + hint);
  }

  // The DSD and dataflow named by one structure entry: URNs (2.0) or links (1.0).
  hub::Status Resolve(const json::value& s) {
    std::optional<ArtefactRef> flow_ref, dsd_ref;
    auto take = [&](const std::string& text) {
      std::string cls;
      if (auto r = ParseUrn(text, &cls)) (cls == "Dataflow" ? flow_ref : dsd_ref) = r;
    };
    if (const auto* v = Path(s, {"structure"}); v && v->is_string()) take(Scalar(*v));
    if (const auto* v = Path(s, {"dataflow"}); v && v->is_string()) take(Scalar(*v));
    if (const auto* links = Path(s, {"links"}); links && links->is_array()) {
      for (const json::value& l : links->as_array()) {
        std::string rel = Text(Path(l, {"rel"})), urn = Text(Path(l, {"urn"})), href = Text(Path(l, {"href"}));
        if (!urn.empty()) {
          take(urn);
        } else if ((rel == "dataflow" || rel == "datastructure") && !href.empty()) {
          // .../dataflow/AGENCY/ID/VERSION
          std::vector<std::string> parts;
          for (size_t a = 0, b; a <= href.size(); a = b + 1) {
            b = href.find('/', a);
            if (b == std::string::npos) b = href.size();
            parts.push_back(href.substr(a, b - a));
          }
          if (parts.size() >= 3) {
            ArtefactRef r{parts[parts.size() - 3], parts[parts.size() - 2], parts[parts.size() - 1]};
            (rel == "dataflow" ? flow_ref : dsd_ref) = r;
          }
        }
      }
    }
    dsd_ = nullptr;
    dataset_.dataflow.reset();
    if (flow_ref) {
      if (const Dataflow* df = structures_.FindDataflow(*flow_ref)) {
        dataset_.dataflow = df->ref;
        dsd_ = structures_.FindDataStructure(df->structure);
      }
    }
    if (!dsd_ && dsd_ref) dsd_ = structures_.FindDataStructure(*dsd_ref);
    if (!dsd_) {
      std::string what = flow_ref ? "dataflow " + flow_ref->ToString() : dsd_ref ? "structure " + dsd_ref->ToString()
                                                                                   : std::string("(no reference)");
      return Fail(1, "structure", "structure-known", what + " is not known to the hub");
    }
    dataset_.structure = dsd_->ref;
    const json::value* dims = Path(s, {"dimensions"});
    const json::value* attrs = Path(s, {"attributes"});
    dataset_dims_ = Components(dims ? Path(*dims, {"dataSet"}) : nullptr);
    series_dims_ = Components(dims ? Path(*dims, {"series"}) : nullptr);
    obs_dims_ = Components(dims ? Path(*dims, {"observation"}) : nullptr);
    dataset_attrs_ = Components(attrs ? Path(*attrs, {"dataSet"}) : nullptr);
    series_attrs_ = Components(attrs ? Path(*attrs, {"series"}) : nullptr);
    obs_attrs_ = Components(attrs ? Path(*attrs, {"observation"}) : nullptr);
    const json::value* measures = Path(s, {"measures", "observation"});
    measure_count_ = measures && measures->is_array() && !measures->as_array().empty() ? measures->as_array().size() : 1;
    return hub::Status::Ok();
  }

  hub::Status EnterDataSet(size_t index) {
    dataset_index_ = index;
    const json::value& ds = (*datasets_)[index];
    size_t structure_index = 0;
    if (const auto* si = Path(ds, {"structure"}); si && si->is_int64()) structure_index = static_cast<size_t>(si->as_int64());
    if (structure_index >= structures_list_.size()) {
      return Fail(1, "dataSet", "structure-ref", "dataSet refers to structure " + std::to_string(structure_index));
    }
    HUB_RETURN_IF_ERROR(Resolve(*structures_list_[structure_index]));
    dataset_.action = Action::kMerge;  // none given: SDMX 3.1's default
    dataset_.action_given = false;
    if (const auto* a = Path(ds, {"action"})) {
      auto action = ParseAction(Scalar(*a));
      if (!action) return Fail(1, "dataSet", "action", "unknown action '" + Scalar(*a) + "'");
      dataset_.action = *action;
      dataset_.action_given = true;
    }
    inherited_.clear();
    // Dataset-level dimensions fix key positions; dataset attributes apply to every series.
    base_key_.assign(dsd_->dimensions.size(), "");
    for (const JsonComponent& c : dataset_dims_) {
      if (!c.values.empty()) PlaceDimension(c, 0, &base_key_, nullptr);
    }
    const json::value* dattrs = Path(ds, {"attributes"});
    for (size_t i = 0; dattrs && dattrs->is_array() && i < dattrs->as_array().size() && i < dataset_attrs_.size(); ++i) {
      AddAttribute(dataset_attrs_[i], dattrs->as_array()[i], &inherited_);
    }
    for (const JsonComponent& c : dataset_attrs_) {
      if (c.values.size() == 1 && !FindField(inherited_, c.id) && !dattrs) inherited_.push_back({c.id, c.values[0]});
    }
    const json::value* series = Path(ds, {"series"});
    const json::value* flat = Path(ds, {"observations"});
    series_ = series && series->is_object() ? &series->as_object() : nullptr;
    flat_ = flat && flat->is_object() ? &flat->as_object() : nullptr;
    series_it_ = series_ ? series_->begin() : json::object::const_iterator();
    flat_it_ = flat_ ? flat_->begin() : json::object::const_iterator();
    return hub::Status::Ok();
  }

  // Places value `index` of component `c` into the key or the period.
  bool PlaceDimension(const JsonComponent& c, size_t index, std::vector<std::string>* key, std::string* period) {
    if (index >= c.values.size()) return false;
    if (c.id == dsd_->time_dimension) {
      if (period) *period = c.values[index];
      return true;
    }
    int pos = dsd_->DimensionIndex(c.id);
    if (pos < 0) return false;
    (*key)[pos] = c.values[index];
    return true;
  }

  static void AddAttribute(const JsonComponent& c, const json::value& index, Fields* out) {
    if (index.is_null()) return;
    if (index.is_int64() && index.as_int64() >= 0 && static_cast<size_t>(index.as_int64()) < c.values.size()) {
      out->push_back({c.id, c.values[static_cast<size_t>(index.as_int64())]});
    }
  }

  // "0:1:2" -> indices, applied to `dims` in order.
  bool PlaceKey(std::string_view text, const std::vector<JsonComponent>& dims, std::vector<std::string>* key,
                std::string* period) {
    size_t d = 0;
    for (size_t a = 0; a <= text.size() && d < dims.size(); ++d) {
      size_t b = text.find(':', a);
      if (b == std::string_view::npos) b = text.size();
      size_t idx = 0;
      auto [p, ec] = std::from_chars(text.data() + a, text.data() + b, idx);
      if (ec != std::errc() || p != text.data() + b || !PlaceDimension(dims[d], idx, key, period)) return false;
      a = b + 1;
    }
    return d == dims.size();
  }

  // [measure..., attribute indices...]
  void ReadObservation(const json::value& arr, Observation* obs) {
    if (!arr.is_array()) return;
    const json::array& a = arr.as_array();
    if (!a.empty()) obs->value = a[0].is_null() ? "NaN" : Scalar(a[0]);
    for (size_t i = 0; i < obs_attrs_.size() && measure_count_ + i < a.size(); ++i) {
      AddAttribute(obs_attrs_[i], a[measure_count_ + i], &obs->attributes);
    }
  }

  void Advance() override {
    while (status_.ok() && queue_.empty() && datasets_) {
      if (series_ && series_it_ != series_->end()) {
        ReadSeries(series_it_->key(), series_it_->value());
        ++series_it_;
      } else if (flat_ && flat_it_ != flat_->end()) {
        ReadFlat(flat_it_->key(), flat_it_->value());
        ++flat_it_;
      } else if (dataset_index_ + 1 < datasets_->size()) {
        if (!EnterDataSet(dataset_index_ + 1).ok()) return;
      } else {
        return;
      }
    }
  }

  void ReadSeries(std::string_view key_text, const json::value& v) {
    if (++series_read_ > options_.max_series) {
      (void)Fail(1, "series", "max-series", "more than " + std::to_string(options_.max_series) + " series");
      return;
    }
    Series s;
    s.key = base_key_;
    std::string series_period;
    if (!PlaceKey(key_text, series_dims_, &s.key, &series_period)) {
      (void)Fail(1, "series", "json-key", "series key '" + std::string(key_text) + "' does not index the structure");
      return;
    }
    const json::value* attrs = Path(v, {"attributes"});
    for (size_t i = 0; attrs && attrs->is_array() && i < attrs->as_array().size() && i < series_attrs_.size(); ++i) {
      AddAttribute(series_attrs_[i], attrs->as_array()[i], &s.attributes);
    }
    for (const Field& f : inherited_) {
      if (!FindField(s.attributes, f.id)) s.attributes.push_back(f);
    }
    const json::value* observations = Path(v, {"observations"});
    // Observation-level dimensions other than time make a cross-section: one series per key.
    std::map<std::vector<std::string>, size_t> by_key;
    if (observations && observations->is_object()) {
      for (const auto& [k, arr] : observations->as_object()) {
        if (++observations_read_ > options_.max_observations) {
          (void)Fail(1, "observation", "max-observations", "more than " + std::to_string(options_.max_observations) +
                                                               " observations");
          return;
        }
        std::vector<std::string> key = s.key;
        Observation obs;
        obs.period = series_period;
        if (!PlaceKey(k, obs_dims_, &key, &obs.period)) {
          (void)Fail(1, "observation", "json-key", "observation key '" + std::string(k) + "' does not index the structure");
          return;
        }
        ReadObservation(arr, &obs);
        auto [it, inserted] = by_key.emplace(key, queue_.size());
        if (inserted) {
          Series copy;
          copy.key = key;
          copy.attributes = s.attributes;
          queue_.push_back(std::move(copy));
        }
        queue_[it->second].observations.push_back(std::move(obs));
      }
    }
    if (by_key.empty()) queue_.push_back(std::move(s));
  }

  void ReadFlat(std::string_view key_text, const json::value& arr) {
    if (++observations_read_ > options_.max_observations) {
      (void)Fail(1, "observation", "max-observations", "more than " + std::to_string(options_.max_observations) +
                                                           " observations");
      return;
    }
    Series s;
    s.key = base_key_;
    Observation obs;
    if (!PlaceKey(key_text, obs_dims_, &s.key, &obs.period)) {
      (void)Fail(1, "observation", "json-key", "observation key '" + std::string(key_text) + "' does not index the structure");
      return;
    }
    ReadObservation(arr, &obs);
    // Series-level attributes of a flat message arrive on the observation.
    Fields obs_level;
    for (Field& f : obs.attributes) {
      const Attribute* a = dsd_->FindAttribute(f.id);
      (a && a->level != AttachmentLevel::kObservation ? s.attributes : obs_level).push_back(std::move(f));
    }
    obs.attributes = std::move(obs_level);
    for (const Field& f : inherited_) {
      if (!FindField(s.attributes, f.id)) s.attributes.push_back(f);
    }
    s.observations.push_back(std::move(obs));
    queue_.push_back(std::move(s));
  }

  std::string_view buffer_;
  json::value root_;
  std::vector<const json::value*> structures_list_;
  const json::array* datasets_ = nullptr;
  size_t dataset_index_ = 0;
  std::vector<JsonComponent> dataset_dims_, series_dims_, obs_dims_, dataset_attrs_, series_attrs_, obs_attrs_;
  size_t measure_count_ = 1;
  std::vector<std::string> base_key_;
  Fields inherited_;
  const json::object* series_ = nullptr;
  const json::object* flat_ = nullptr;
  json::object::const_iterator series_it_, flat_it_;
  size_t series_read_ = 0, observations_read_ = 0;
};

}  // namespace

hub::Result<std::unique_ptr<DataReader>> OpenJsonDataReader(std::string_view buffer, std::string file,
                                                            const StructureSet& structures,
                                                            const DataReaderOptions& options, Diagnostics* diags) {
  return OpenQueuedReader<JsonDataReader>(buffer, std::move(file), structures, options, diags);
}

}  // namespace sdmx
