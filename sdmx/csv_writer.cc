// SDMX-CSV: one row per observation. 1.0: DATAFLOW, the dimensions in DSD
// order, TIME_PERIOD, OBS_VALUE, then every DSD attribute. 2.0: STRUCTURE,
// STRUCTURE_ID and ACTION in place of DATAFLOW, and the columns of every
// structure of the message. The media type's labels, timeFormat and keys
// (CsvOptions) add names, normalise periods and add key columns.
#include <algorithm>

#include "sdmx/buffered_writer.h"
#include "sdmx/component_names.h"
#include "sdmx/time_period.h"

namespace sdmx {
namespace {

const char* CsvActionCode(Action a) {
  switch (a) {
    case Action::kInformation: return "I";
    case Action::kAppend: return "A";
    case Action::kReplace: return "R";
    case Action::kMerge: return "M";
    case Action::kDelete: return "D";
  }
  return "R";
}

class CsvWriter final : public BufferedWriter {
 public:
  CsvWriter(bool v2, WriteContext ctx, Sink sink) : BufferedWriter(std::move(ctx), std::move(sink)), v2_(v2) {
    // Several structures: the union of their columns, dimensions first,
    // then measures, then attributes, each in the order of the first
    // structure that has it (SDMX-CSV 2.0); a row leaves the columns of
    // other structures empty.
    std::vector<std::string> dims, measures, attrs;
    auto add = [](std::vector<std::string>* v, const std::string& id) {
      if (std::find(v->begin(), v->end(), id) == v->end()) v->push_back(id);
    };
    for (const MessageStructure& m : ctx_.structures) {
      for (const Dimension& d : m.dsd->dimensions) add(&dims, d.id);
      add(&dims, m.dsd->time_dimension);
      add(&measures, m.dsd->primary_measure);
      for (const Attribute& a : m.dsd->attributes) add(&attrs, a.id);
    }
    out_ += v2 ? "STRUCTURE,STRUCTURE_ID,ACTION" : "DATAFLOW";
    if (ctx_.csv.series_key) out_ += ",SERIES_KEY";
    if (ctx_.csv.obs_key) out_ += ",OBS_KEY";
    for (const auto* ids : {&dims, &measures, &attrs}) {
      for (const std::string& id : *ids) {
        // A column's label from the first structure that has it.
        std::string label = id;
        if (labels_ != CsvOptions::Labels::kId) {
          for (const MessageStructure& m : ctx_.structures) {
            if (m.dsd->DimensionIndex(id) >= 0 || m.dsd->FindAttribute(id) || id == m.dsd->time_dimension ||
                id == m.dsd->primary_measure) {
              const std::string name = ComponentNames(ctx_.names, *m.dsd).Concept(id);
              label = labels_ == CsvOptions::Labels::kBoth ? id + ": " + name : name;
              break;
            }
          }
        }
        Cell(label);
        columns_.push_back(id);
      }
    }
    out_ += "\r\n";
    UseStructure(0);
    SetPrefix(ctx_.action.value_or(Action::kReplace));
  }

  void WriteSeries(const Series& s) override {
    std::string series_key;
    if (ctx_.csv.series_key || ctx_.csv.obs_key) {
      for (size_t i = 0; i < s.key.size(); ++i) series_key += (i ? "." : "") + s.key[i];
    }
    std::string normalized, last;
    for (const Observation& o : s.observations) {
      out_ += prefix_;  // pre-quoted: ids cannot hold CSV specials
      if (ctx_.csv.series_key) Cell(series_key);
      if (ctx_.csv.obs_key) Cell(series_key + "." + o.period);
      for (const Source& c : sources_) {
        const std::string* v = nullptr;
        switch (c.kind) {
          case Source::kKey: v = c.index < s.key.size() ? &s.key[c.index] : nullptr; break;
          case Source::kTime:
            v = &o.period;
            // The date the period starts on; a value that is no period stays.
            if (ctx_.csv.normalized_time && PeriodBounds(o.period, &normalized, &last)) v = &normalized;
            break;
          case Source::kValue: v = &o.value; break;
          case Source::kSeriesAttribute: v = FindField(s.attributes, c.id); break;
          case Source::kObsAttribute: v = FindField(o.attributes, c.id); break;
          case Source::kNone: break;
        }
        out_ += ',';
        if (!v) continue;
        if (c.codes && labels_ != CsvOptions::Labels::kId) {
          const Code* code = c.codes->Find(*v);
          const std::string& name = code && !code->name.empty() ? code->name : *v;
          Value(labels_ == CsvOptions::Labels::kBoth ? *v + ": " + name : name);
        } else {
          Value(*v);
        }
      }
      out_ += "\r\n";
    }
    MaybeFlush();
  }

  // CSV has no datasets; 2.0 carries the structure and action on every row.
  void NextDataSetOf(size_t structure, const DataSetHeader& h) override {
    UseStructure(structure);
    SetPrefix(h.action.value_or(Action::kReplace));
  }

  void Finish() override { Flush(); }

 private:
  void Cell(std::string_view v) {
    out_ += ',';
    Value(v);
  }
  // RFC 4180 quoting. A plain loop: find_first_of calls memchr once per
  // character, which was the largest single cost of a CSV answer.
  static bool NeedsQuotes(std::string_view v) {
    for (char c : v) {
      if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
    }
    return false;
  }
  void Value(std::string_view v) { AppendValue(&out_, v); }
  static void AppendValue(std::string* out, std::string_view v) {
    if (!NeedsQuotes(v)) {
      *out += v;
      return;
    }
    *out += '"';
    for (char c : v) {
      if (c == '"') *out += '"';
      *out += c;
    }
    *out += '"';
  }

  // Where each column's value is in a series of the current structure.
  struct Source {
    enum Kind { kNone, kKey, kTime, kValue, kSeriesAttribute, kObsAttribute } kind = kNone;
    size_t index = 0;  // kKey
    std::string id;    // attributes
    const Codelist* codes = nullptr;  // a coded component's, when labels are asked for
  };

  void UseStructure(size_t structure) {
    Select(structure);
    const DataStructure& dsd = *ctx_.dsd;
    sources_.assign(columns_.size(), Source{});
    for (size_t c = 0; c < columns_.size(); ++c) {
      const std::string& id = columns_[c];
      Source& src = sources_[c];
      if (int d = dsd.DimensionIndex(id); d >= 0) {
        src = {Source::kKey, static_cast<size_t>(d), ""};
      } else if (id == dsd.time_dimension) {
        src.kind = Source::kTime;
      } else if (id == dsd.primary_measure) {
        src.kind = Source::kValue;
      } else if (const Attribute* a = dsd.FindAttribute(id)) {
        src = {a->level == AttachmentLevel::kObservation ? Source::kObsAttribute : Source::kSeriesAttribute, 0, id};
      }
      if (labels_ != CsvOptions::Labels::kId) src.codes = ComponentNames(ctx_.names, dsd).CodelistOf(id);
    }
  }

  // Each row starts "dataflow,AGENCY:ID(VERSION),R" (2.0: structure kind,
  // id, action) or "AGENCY:ID(VERSION)" (1.0).
  void SetPrefix(Action action) {
    std::string ref = HeaderRef().ToString();
    if (labels_ != CsvOptions::Labels::kId && ctx_.names) {  // "AGENCY:ID(VERSION): Name"
      const Dataflow* df = ctx_.dataflow ? ctx_.names->FindDataflow(*ctx_.dataflow) : nullptr;
      const std::string& name = df ? df->name : ctx_.dsd->name;
      if (!name.empty()) ref += ": " + name;
    }
    prefix_ = v2_ ? std::string(ctx_.dataflow ? "dataflow," : "datastructure,") : std::string();
    AppendValue(&prefix_, ref);  // a name may hold a comma: quoted as any value
    if (v2_) prefix_ += std::string(",") + CsvActionCode(action);
  }

  const bool v2_;
  const CsvOptions::Labels labels_ = ctx_.csv.labels;
  std::vector<std::string> columns_;  // after the structure columns
  std::vector<Source> sources_;       // one per column, for the current structure
  std::string prefix_;
};

}  // namespace

std::unique_ptr<DataWriter> NewCsvWriter(bool v2, WriteContext ctx, Sink sink) {
  return std::make_unique<CsvWriter>(v2, std::move(ctx), std::move(sink));
}

}  // namespace sdmx
