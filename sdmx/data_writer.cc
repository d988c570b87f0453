#include "sdmx/data_writer.h"

#include <ctime>

namespace sdmx {

std::unique_ptr<DataWriter> NewMlWriter(DataFormat format, WriteContext ctx, Sink sink);
std::unique_ptr<DataWriter> NewCsvWriter(bool v2, WriteContext ctx, Sink sink);
std::unique_ptr<DataWriter> NewJsonWriter(WriteContext ctx, Sink sink, bool v1);

std::unique_ptr<DataWriter> NewDataWriter(DataFormat format, WriteContext context, Sink sink) {
  switch (format) {
    case DataFormat::kGeneric21:
    case DataFormat::kStructureSpecific21:
    case DataFormat::kStructureSpecific30: return NewMlWriter(format, std::move(context), std::move(sink));
    case DataFormat::kCsv10: return NewCsvWriter(false, std::move(context), std::move(sink));
    case DataFormat::kCsv20: return NewCsvWriter(true, std::move(context), std::move(sink));
    case DataFormat::kJson10: return NewJsonWriter(std::move(context), std::move(sink), /*v1=*/true);
    case DataFormat::kJson20: return NewJsonWriter(std::move(context), std::move(sink), /*v1=*/false);
  }
  return nullptr;
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
