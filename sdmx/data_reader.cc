#include "sdmx/data_reader.h"

namespace sdmx {

hub::Result<std::unique_ptr<DataReader>> OpenXmlDataReader(std::string_view, std::string, const StructureSet&,
                                                           const DataReaderOptions&, Diagnostics*);
hub::Result<std::unique_ptr<DataReader>> OpenCsvDataReader(std::string_view, std::string, const StructureSet&,
                                                           const DataReaderOptions&, Diagnostics*);
hub::Result<std::unique_ptr<DataReader>> OpenJsonDataReader(std::string_view, std::string, const StructureSet&,
                                                            const DataReaderOptions&, Diagnostics*);

// The format is told by the first significant character: '<' SDMX-ML,
// '{' SDMX-JSON, anything else SDMX-CSV.
hub::Result<std::unique_ptr<DataReader>> DataReader::Open(std::string_view buffer, std::string file,
                                                          const StructureSet& structures,
                                                          const DataReaderOptions& options, Diagnostics* diags) {
  size_t i = buffer.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (i < buffer.size() && (buffer[i] == ' ' || buffer[i] == '\t' || buffer[i] == '\r' || buffer[i] == '\n')) ++i;
  if (i < buffer.size() && buffer[i] == '<') return OpenXmlDataReader(buffer, std::move(file), structures, options, diags);
  if (i < buffer.size() && buffer[i] == '{') return OpenJsonDataReader(buffer, std::move(file), structures, options, diags);
  auto fail = [&](const char* rule, const char* message) {
    Diagnostic d{file, 1, "document", rule, message};
    std::string text = d.ToString();
    diags->Add(std::move(d));
    return hub::Status::InvalidArgument(text);
  };
  if (i >= buffer.size()) return fail("not-empty", "the message is empty");
  // Archives agencies hand out (Eurostat's bulk responses come zipped) are
  // not SDMX messages: say so, rather than "bad CSV header".
  if (buffer.substr(0, 4) == std::string_view("PK\x03\x04", 4) || buffer.substr(0, 2) == "\x1f\x8b") {
    return fail("not-compressed", "a ZIP or gzip archive, not an SDMX message: send the message it holds");
  }
  return OpenCsvDataReader(buffer, std::move(file), structures, options, diags);
}

}  // namespace sdmx
