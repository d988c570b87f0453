// SDMX-CSV 1.0: one row per observation; columns DATAFLOW, the dimensions in
// DSD order, TIME_PERIOD, OBS_VALUE, then every DSD attribute.
#include "sdmx/buffered_writer.h"

namespace sdmx {
namespace {

class CsvWriter final : public BufferedWriter {
 public:
  CsvWriter(WriteContext ctx, Sink sink) : BufferedWriter(std::move(ctx), std::move(sink)) {
    const DataStructure& dsd = *ctx_.dsd;
    flow_ = HeaderRef().ToString();
    out_ += "DATAFLOW";
    for (const Dimension& d : dsd.dimensions) Cell(d.id);
    Cell(dsd.time_dimension);
    Cell(dsd.primary_measure);
    for (const Attribute& a : dsd.attributes) Cell(a.id);
    out_ += "\r\n";
  }

  void WriteSeries(const Series& s) override {
    const DataStructure& dsd = *ctx_.dsd;
    for (const Observation& o : s.observations) {
      Value(flow_);
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

  void Finish() override { Flush(); }

 private:
  void Cell(std::string_view v) {
    out_ += ',';
    Value(v);
  }
  // RFC 4180 quoting.
  void Value(std::string_view v) {
    if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
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

  std::string flow_;
};

}  // namespace

std::unique_ptr<DataWriter> NewCsvWriter(WriteContext ctx, Sink sink) {
  return std::make_unique<CsvWriter>(std::move(ctx), std::move(sink));
}

}  // namespace sdmx
