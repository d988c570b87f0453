#include "sdmx/data_writer.h"

#include <algorithm>
#include <ctime>

namespace sdmx {

std::unique_ptr<DataWriter> NewMlWriter(DataFormat format, WriteContext ctx, Sink sink);
std::unique_ptr<DataWriter> NewCsvWriter(bool v2, WriteContext ctx, Sink sink);
std::unique_ptr<DataWriter> NewJsonWriter(WriteContext ctx, Sink sink, bool v1);

namespace {

bool Keep(const OutputDetail& d, const std::string& id) {
  if (!d.only_attributes) return true;
  return std::find(d.only_attributes->begin(), d.only_attributes->end(), id) != d.only_attributes->end();
}

// Applies OutputDetail to each series before the format writer sees it.
class DetailFilter final : public DataWriter {
 public:
  DetailFilter(OutputDetail detail, std::unique_ptr<DataWriter> inner)
      : detail_(std::move(detail)), inner_(std::move(inner)) {}

  void WriteSeries(const Series& s) override {
    Series out;
    out.key = s.key;
    out.line = s.line;
    if (detail_.series_attributes) {
      for (const Field& f : s.attributes) {
        if (Keep(detail_, f.id)) out.attributes.push_back(f);
      }
    }
    if (detail_.observations) {
      out.observations.reserve(s.observations.size());
      for (const Observation& o : s.observations) {
        Observation& c = out.observations.emplace_back();
        c.period = o.period;
        if (detail_.values) c.value = o.value;
        if (detail_.obs_attributes) {
          for (const Field& f : o.attributes) {
            if (Keep(detail_, f.id)) c.attributes.push_back(f);
          }
        }
      }
    }
    inner_->WriteSeries(out);
  }
  void NextDataSet(const DataSetHeader& header) override { inner_->NextDataSet(header); }
  void NextDataSetOf(size_t structure, const DataSetHeader& header) override {
    inner_->NextDataSetOf(structure, header);
  }
  void Finish() override { inner_->Finish(); }

 private:
  const OutputDetail detail_;
  std::unique_ptr<DataWriter> inner_;
};

std::unique_ptr<DataWriter> NewFormatWriter(DataFormat format, WriteContext context, Sink sink) {
  switch (format) {
    case DataFormat::kGeneric21:
    case DataFormat::kStructureSpecific21:
    case DataFormat::kStructureSpecific30:
    case DataFormat::kGenericTimeSeries21:
    case DataFormat::kStructureSpecificTimeSeries21: return NewMlWriter(format, std::move(context), std::move(sink));
    case DataFormat::kCsv10: return NewCsvWriter(false, std::move(context), std::move(sink));
    case DataFormat::kCsv20: return NewCsvWriter(true, std::move(context), std::move(sink));
    case DataFormat::kJson10: return NewJsonWriter(std::move(context), std::move(sink), /*v1=*/true);
    case DataFormat::kJson20: return NewJsonWriter(std::move(context), std::move(sink), /*v1=*/false);
  }
  return nullptr;
}

}  // namespace

std::optional<OutputDetail> OutputDetail::FromV1(std::string_view detail) {
  OutputDetail d;
  if (detail.empty() || detail == "full") return d;
  if (detail == "dataonly") {
    d.series_attributes = d.obs_attributes = false;
  } else if (detail == "serieskeysonly") {
    d.observations = d.series_attributes = d.obs_attributes = false;
  } else if (detail == "nodata") {
    d.observations = false;
  } else {
    return std::nullopt;
  }
  return d;
}

std::optional<OutputDetail> OutputDetail::FromV2(std::string_view attributes, std::string_view measures,
                                                 const DataStructure& dsd) {
  OutputDetail d;
  if (measures == "none") {
    d.values = false;
  } else if (!measures.empty() && measures != "all" && measures != dsd.primary_measure) {
    return std::nullopt;
  }
  if (attributes.empty() || attributes == "dsd" || attributes == "all") return d;
  if (attributes == "none" || attributes == "msd") {  // the hub holds no reference metadata
    d.series_attributes = d.obs_attributes = false;
    return d;
  }
  auto level = [&](std::initializer_list<AttachmentLevel> levels) {
    std::vector<std::string> ids;
    for (const Attribute& a : dsd.attributes) {
      if (std::find(levels.begin(), levels.end(), a.level) != levels.end()) ids.push_back(a.id);
    }
    return ids;
  };
  if (attributes == "dataset") {
    d.only_attributes = level({AttachmentLevel::kDataSet});
  } else if (attributes == "series") {
    d.only_attributes = level({AttachmentLevel::kSeries, AttachmentLevel::kGroup});
  } else if (attributes == "obs") {
    d.only_attributes = level({AttachmentLevel::kObservation});
  } else {
    std::vector<std::string> ids;
    for (size_t a = 0; a <= attributes.size();) {
      size_t b = attributes.find(',', a);
      if (b == std::string_view::npos) b = attributes.size();
      std::string id(attributes.substr(a, b - a));
      if (!dsd.FindAttribute(id)) return std::nullopt;
      ids.push_back(std::move(id));
      a = b + 1;
    }
    d.only_attributes = std::move(ids);
  }
  return d;
}

std::unique_ptr<DataWriter> NewDataWriter(DataFormat format, WriteContext context, Sink sink) {
  OutputDetail detail = context.detail;
  std::unique_ptr<DataWriter> w = NewFormatWriter(format, std::move(context), std::move(sink));
  if (detail.full()) return w;
  return std::make_unique<DetailFilter>(std::move(detail), std::move(w));
}

bool CarriesStructures(DataFormat format, const std::vector<MessageStructure>& structures) {
  if (structures.size() < 2) return true;
  if (format == DataFormat::kJson10) return false;
  if (format != DataFormat::kCsv10) return true;
  return std::all_of(structures.begin(), structures.end(),
                     [&](const MessageStructure& m) { return m.dsd->ref == structures[0].dsd->ref; });
}

std::string NowIso8601() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace sdmx
