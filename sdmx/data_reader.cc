#include "sdmx/data_reader.h"

namespace sdmx {

hub::Result<std::unique_ptr<DataReader>> OpenXmlDataReader(std::string_view, std::string, const StructureSet&,
                                                           const DataReaderOptions&, Diagnostics*);
hub::Result<std::unique_ptr<DataReader>> OpenXmlDataReader(const hub::ArrivingBytes*, std::string,
                                                           const StructureSet&, const DataReaderOptions&,
                                                           Diagnostics*);
hub::Result<std::unique_ptr<DataReader>> OpenCsvDataReader(std::string_view, std::string, const StructureSet&,
                                                           const DataReaderOptions&, Diagnostics*);
hub::Result<std::unique_ptr<DataReader>> OpenCsvDataReader(const hub::ArrivingBytes*, std::string,
                                                           const StructureSet&, const DataReaderOptions&,
                                                           Diagnostics*);
hub::Result<std::unique_ptr<DataReader>> OpenJsonDataReader(std::string_view, std::string, const StructureSet&,
                                                            const DataReaderOptions&, Diagnostics*);

namespace {

enum class Format { kXml, kJson, kCsv, kEmpty, kArchive, kUndecided };

// The format is told by the first significant character: '<' SDMX-ML,
// '{' SDMX-JSON, anything else SDMX-CSV. `whole`: no more bytes will come.
Format Sniff(std::string_view buffer, bool whole) {
  size_t i = buffer.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (i < buffer.size() && (buffer[i] == ' ' || buffer[i] == '\t' || buffer[i] == '\r' || buffer[i] == '\n')) ++i;
  if (i < buffer.size() && buffer[i] == '<') return Format::kXml;
  if (i < buffer.size() && buffer[i] == '{') return Format::kJson;
  if (!whole && (i >= buffer.size() || buffer.size() < 4)) return Format::kUndecided;
  if (i >= buffer.size()) return Format::kEmpty;
  // Archives agencies hand out (Eurostat's bulk responses come zipped) are
  // not SDMX messages: say so, rather than "bad CSV header".
  if (buffer.substr(0, 4) == std::string_view("PK\x03\x04", 4) || buffer.substr(0, 2) == "\x1f\x8b") {
    return Format::kArchive;
  }
  return Format::kCsv;
}

hub::Status Refuse(Format f, const std::string& file, Diagnostics* diags) {
  Diagnostic d = f == Format::kEmpty
                     ? Diagnostic{file, 1, "document", "not-empty", "the message is empty"}
                     : Diagnostic{file, 1, "document", "not-compressed",
                                  "a ZIP or gzip archive, not an SDMX message: send the message it holds"};
  std::string text = d.ToString();
  diags->Add(std::move(d));
  return hub::Status::InvalidArgument(text);
}

}  // namespace

hub::Result<std::unique_ptr<DataReader>> DataReader::Open(std::string_view buffer, std::string file,
                                                          const StructureSet& structures,
                                                          const DataReaderOptions& options, Diagnostics* diags) {
  const Format f = Sniff(buffer, true);
  switch (f) {
    case Format::kXml: return OpenXmlDataReader(buffer, std::move(file), structures, options, diags);
    case Format::kJson: return OpenJsonDataReader(buffer, std::move(file), structures, options, diags);
    case Format::kCsv: return OpenCsvDataReader(buffer, std::move(file), structures, options, diags);
    case Format::kEmpty:
    case Format::kArchive:
    case Format::kUndecided: break;
  }
  return Refuse(f, file, diags);
}

hub::Result<std::unique_ptr<DataReader>> DataReader::Open(const hub::ArrivingBytes* source, std::string file,
                                                          const StructureSet& structures,
                                                          const DataReaderOptions& options, Diagnostics* diags) {
  size_t have = source->available();
  Format f;
  while ((f = Sniff(source->view().substr(0, have), have == source->size())) == Format::kUndecided) {
    const size_t more = source->WaitBeyond(have);
    if (more == have) {  // the upload stopped: decide on what came
      f = Sniff(source->view().substr(0, have), true);
      break;
    }
    have = more;
  }
  switch (f) {
    case Format::kXml: return OpenXmlDataReader(source, std::move(file), structures, options, diags);
    case Format::kCsv: return OpenCsvDataReader(source, std::move(file), structures, options, diags);
    case Format::kJson:
      // SDMX-JSON is parsed whole anyway (see the class comment).
      (void)source->WaitAll();
      return OpenJsonDataReader(source->view().substr(0, source->available()), std::move(file), structures,
                                options, diags);
    case Format::kEmpty:
    case Format::kArchive:
    case Format::kUndecided: break;
  }
  return Refuse(f, file, diags);
}

}  // namespace sdmx
