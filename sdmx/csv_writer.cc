// SDMX-CSV: one row per observation. 1.0: DATAFLOW, the dimensions in DSD
// order, TIME_PERIOD, OBS_VALUE, then every DSD attribute. 2.0: STRUCTURE,
// STRUCTURE_ID and ACTION in place of DATAFLOW.
#include "sdmx/buffered_writer.h"

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
    const DataStructure& dsd = *ctx_.dsd;
    if (v2) {
      // Each row starts "dataflow,AGENCY:ID(VERSION),R" (structure kind, id, action).
      flow_ = std::string(ctx_.dataflow ? "dataflow," : "datastructure,") + HeaderRef().ToString() + "," +
              CsvActionCode(ctx_.action.value_or(Action::kReplace));
      out_ += "STRUCTURE,STRUCTURE_ID,ACTION";
    } else {
      flow_ = HeaderRef().ToString();
      out_ += "DATAFLOW";
    }
    for (const Dimension& d : dsd.dimensions) Cell(d.id);
    Cell(dsd.time_dimension);
    Cell(dsd.primary_measure);
    for (const Attribute& a : dsd.attributes) Cell(a.id);
    out_ += "\r\n";
  }

  void WriteSeries(const Series& s) override {
    const DataStructure& dsd = *ctx_.dsd;
    for (const Observation& o : s.observations) {
      out_ += flow_;  // pre-quoted: ids cannot hold CSV specials
      for (const std::string& k : s.key) Cell(k);
      Cell(o.period);
      Cell(o.value);
      for (const Attribute& a : dsd.attributes) {
        const std::string* v = a.level == AttachmentLevel::kObservation ? FindField(o.attributes, a.id)
                                                                        : FindField(s.attributes, a.id);
        Cell(v ? *v : std::string());
      }
      out_ += "\r\n";
    }
    MaybeFlush();
  }

  // CSV has no datasets; 2.0 carries the action on every row.
  void NextDataSet(const DataSetHeader& h) override {
    if (v2_) flow_ = flow_.substr(0, flow_.rfind(',') + 1) + CsvActionCode(h.action.value_or(Action::kReplace));
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
  void Value(std::string_view v) {
    if (!NeedsQuotes(v)) {
      out_ += v;
      return;
    }
    out_ += '"';
    for (char c : v) {
      if (c == '"') out_ += '"';
      out_ += c;
    }
    out_ += '"';
  }

  const bool v2_;
  std::string flow_;
};

}  // namespace

std::unique_ptr<DataWriter> NewCsvWriter(bool v2, WriteContext ctx, Sink sink) {
  return std::make_unique<CsvWriter>(v2, std::move(ctx), std::move(sink));
}

}  // namespace sdmx
