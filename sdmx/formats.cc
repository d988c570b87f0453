#include "sdmx/formats.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace sdmx {
namespace {

struct FormatInfo {
  DataFormat format;
  const char* name;
  const char* media_type;
  // Other media types clients send for this format (version-less, generic).
  std::vector<std::string_view> aliases;
};

const std::vector<FormatInfo>& Formats() {
  static const std::vector<FormatInfo> kFormats = {
      {DataFormat::kGeneric21, "generic21", "application/vnd.sdmx.genericdata+xml;version=2.1",
       {"application/vnd.sdmx.genericdata+xml", "application/xml", "text/xml"}},
      {DataFormat::kStructureSpecific21, "ss21",
       "application/vnd.sdmx.structurespecificdata+xml;version=2.1",
       {"application/vnd.sdmx.structurespecificdata+xml"}},
      {DataFormat::kStructureSpecific30, "ss30", "application/vnd.sdmx.data+xml;version=3.0.0",
       {"application/vnd.sdmx.data+xml;version=3.0", "application/vnd.sdmx.data+xml"}},
      {DataFormat::kCsv20, "csv20", "application/vnd.sdmx.data+csv;version=2.0.0",
       {"application/vnd.sdmx.data+csv;version=2.0"}},
      {DataFormat::kCsv10, "csv10", "application/vnd.sdmx.data+csv;version=1.0.0",
       {"application/vnd.sdmx.data+csv;version=1.0", "application/vnd.sdmx.data+csv", "text/csv"}},
      {DataFormat::kJson10, "json10", "application/vnd.sdmx.data+json;version=1.0.0",
       {"application/vnd.sdmx.data+json;version=1.0"}},
      {DataFormat::kJson20, "json20", "application/vnd.sdmx.data+json;version=2.0.0",
       {"application/vnd.sdmx.data+json;version=2.0", "application/vnd.sdmx.data+json",
        "application/json"}},
      {DataFormat::kGenericTimeSeries21, "genericts21", "application/vnd.sdmx.generictimeseriesdata+xml;version=2.1",
       {"application/vnd.sdmx.generictimeseriesdata+xml"}},
      {DataFormat::kStructureSpecificTimeSeries21, "ssts21",
       "application/vnd.sdmx.structurespecifictimeseriesdata+xml;version=2.1",
       {"application/vnd.sdmx.structurespecifictimeseriesdata+xml"}},
  };
  return kFormats;
}

const FormatInfo& Info(DataFormat f) {
  for (const auto& i : Formats()) {
    if (i.format == f) return i;
  }
  return Formats().front();
}

std::string Normalize(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

const char* MediaType(DataFormat f) { return Info(f).media_type; }
bool TimeSeriesOnly(DataFormat f) {
  return f == DataFormat::kGenericTimeSeries21 || f == DataFormat::kStructureSpecificTimeSeries21;
}
const char* FormatName(DataFormat f) { return Info(f).name; }

std::optional<DataFormat> ParseFormatName(std::string_view name) {
  for (const auto& i : Formats()) {
    if (name == i.name) return i.format;
  }
  return std::nullopt;
}

std::optional<DataFormat> NegotiateDataFormat(std::string_view accept,
                                              const std::vector<DataFormat>& offered) {
  if (offered.empty()) return std::nullopt;
  if (accept.empty()) return offered.front();
  std::optional<DataFormat> best;
  double best_q = 0;
  size_t pos = 0;
  while (pos <= accept.size()) {
    size_t comma = accept.find(',', pos);
    std::string range = Normalize(accept.substr(pos, comma == std::string_view::npos ? accept.npos : comma - pos));
    pos = comma == std::string_view::npos ? accept.size() + 1 : comma + 1;
    double q = 1.0;
    // Split off q=; keep other parameters (version=) as part of the type.
    std::string type;
    size_t start = 0;
    while (start <= range.size()) {
      size_t semi = range.find(';', start);
      std::string part = range.substr(start, semi == std::string::npos ? std::string::npos : semi - start);
      start = semi == std::string::npos ? range.size() + 1 : semi + 1;
      if (part.rfind("q=", 0) == 0) {
        q = std::strtod(part.c_str() + 2, nullptr);
      } else if (part.rfind("labels=", 0) == 0 || part.rfind("timeformat=", 0) == 0 || part.rfind("keys=", 0) == 0) {
        // SDMX-CSV options (ParseCsvOptions): how to write, not what.
      } else if (!part.empty()) {
        type += type.empty() ? part : ";" + part;
      }
    }
    if (type.empty() || q <= best_q) continue;
    std::optional<DataFormat> match;
    if (type == "*/*" || type == "application/*") {
      match = offered.front();
    } else {
      for (DataFormat f : offered) {
        const FormatInfo& i = Info(f);
        bool hit = Normalize(i.media_type) == type ||
                   std::any_of(i.aliases.begin(), i.aliases.end(),
                               [&](std::string_view a) { return Normalize(a) == type; });
        if (hit) {
          match = f;
          break;
        }
      }
    }
    if (match) {
      best = match;
      best_q = q;
    }
  }
  return best;
}

hub::Result<CsvOptions> ParseCsvOptions(std::string_view accept) {
  CsvOptions o;
  const std::string a = Normalize(accept);
  size_t start = 0;
  while (start <= a.size()) {
    const size_t end = std::min(a.find_first_of(";,", start), a.size());
    const std::string part = a.substr(start, end - start);
    start = end + 1;
    const size_t eq = part.find('=');
    if (eq == std::string::npos) continue;
    const std::string name = part.substr(0, eq), value = part.substr(eq + 1);
    if (name == "labels") {
      if (value == "id") o.labels = CsvOptions::Labels::kId;
      else if (value == "both") o.labels = CsvOptions::Labels::kBoth;
      else if (value == "name") o.labels = CsvOptions::Labels::kName;
      else return hub::Status::InvalidArgument("labels=" + value + ": expected id, both or name");
    } else if (name == "timeformat") {
      if (value != "original" && value != "normalized") {
        return hub::Status::InvalidArgument("timeFormat=" + value + ": expected original or normalized");
      }
      o.normalized_time = value == "normalized";
    } else if (name == "keys") {
      if (value != "none" && value != "series" && value != "obs" && value != "both") {
        return hub::Status::InvalidArgument("keys=" + value + ": expected none, series, obs or both");
      }
      o.series_key = value == "series" || value == "both";
      o.obs_key = value == "obs" || value == "both";
    }
  }
  return o;
}

}  // namespace sdmx
