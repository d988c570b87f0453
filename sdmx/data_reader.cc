#include "sdmx/data_reader.h"

#include <algorithm>

#include "sdmx/text_encoding.h"

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

// A reader over a message transcoded to UTF-8 (text_encoding.h): it owns
// the text the reader it wraps reads.
class TranscodedReader final : public DataReader {
 public:
  TranscodedReader(std::string text, size_t original_size) : text_(std::move(text)), original_size_(original_size) {}
  std::string_view text() const { return text_; }
  void set_reader(std::unique_ptr<DataReader> r) { reader_ = std::move(r); }

  const MessageHeader& header() const override { return reader_->header(); }
  bool Valid() const override { return reader_->Valid(); }
  void Next() override { reader_->Next(); }
  const Series& series() const override { return reader_->series(); }
  const DataSetInfo& dataset() const override { return reader_->dataset(); }
  const DataStructure& structure() const override { return reader_->structure(); }
  bool has_structure() const override { return reader_->has_structure(); }
  const hub::Status& status() const override { return reader_->status(); }
  // In the original's bytes, as callers count them (progress); the
  // original is no longer needed at all, but a mapped file releases no
  // more than this.
  size_t consumed() const override {
    return text_.empty() ? 0
                         : static_cast<size_t>(static_cast<double>(reader_->consumed()) *
                                               static_cast<double>(original_size_) / static_cast<double>(text_.size()));
  }

 private:
  const std::string text_;
  const size_t original_size_;
  std::unique_ptr<DataReader> reader_;
};

int LineAt(std::string_view text, size_t offset) { return LineIndex(text).LineOf(static_cast<std::ptrdiff_t>(offset)); }

// The format of a UTF-8 message, and the reader for it.
hub::Result<std::unique_ptr<DataReader>> OpenUtf8(std::string_view buffer, std::string file,
                                                  const StructureSet& structures, const DataReaderOptions& options,
                                                  Diagnostics* diags);

// `buffer` in `from`, transcoded to UTF-8 and read.
hub::Result<std::unique_ptr<DataReader>> OpenTranscoded(std::string_view buffer, TextEncoding from, std::string file,
                                                        const StructureSet& structures,
                                                        const DataReaderOptions& options, Diagnostics* diags) {
  std::string text;
  if (std::optional<TextProblem> p = TranscodeToUtf8(buffer, from, &text)) {
    return diags->Refuse({file, LineAt(text, p->offset), ElementAt(text, p->offset), p->rule,
                          p->message + " (the message is read as " + TextEncodingName(from) + ")"});
  }
  auto reader = std::make_unique<TranscodedReader>(std::move(text), buffer.size());
  HUB_ASSIGN_OR_RETURN(auto inner, OpenUtf8(reader->text(), std::move(file), structures, options, diags));
  reader->set_reader(std::move(inner));
  return std::unique_ptr<DataReader>(std::move(reader));
}

hub::Status RefuseEncoding(std::string_view head, const TextProblem& p, const std::string& file, Diagnostics* diags) {
  return diags->Refuse({file, LineAt(head, p.offset), "xml", p.rule, p.message});
}

hub::Status Refuse(Format f, const std::string& file, Diagnostics* diags) {
  return diags->Refuse(f == Format::kEmpty
                           ? Diagnostic{file, 1, "document", "not-empty", "the message is empty"}
                           : Diagnostic{file, 1, "document", "not-compressed",
                                        "a ZIP or gzip archive, not an SDMX message: send the message it holds"});
}

hub::Result<std::unique_ptr<DataReader>> OpenUtf8(std::string_view buffer, std::string file,
                                                  const StructureSet& structures, const DataReaderOptions& options,
                                                  Diagnostics* diags) {
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

}  // namespace

hub::Result<std::unique_ptr<DataReader>> DataReader::Open(std::string_view buffer, std::string file,
                                                          const StructureSet& structures,
                                                          const DataReaderOptions& options, Diagnostics* diags) {
  TextProblem problem;
  const std::string_view head = buffer.substr(0, kEncodingHeadBytes);
  const std::optional<TextEncoding> encoding = DetectEncoding(head, &problem);
  if (!encoding) return RefuseEncoding(head, problem, file, diags);
  if (*encoding != TextEncoding::kUtf8) {
    return OpenTranscoded(buffer, *encoding, std::move(file), structures, options, diags);
  }
  return OpenUtf8(buffer, std::move(file), structures, options, diags);
}

hub::Result<std::unique_ptr<DataReader>> DataReader::Open(const hub::ArrivingBytes* source, std::string file,
                                                          const StructureSet& structures,
                                                          const DataReaderOptions& options, Diagnostics* diags) {
  size_t have = source->available();
  // The encoding first: a message in another than UTF-8 is read once all
  // of it has arrived (transcoded whole; the body limit bounds it).
  for (const size_t head = std::min(source->size(), kEncodingHeadBytes); have < head;) {
    const size_t more = source->WaitBeyond(have);
    if (more == have) break;
    have = more;
  }
  TextProblem problem;
  const std::string_view head = source->view().substr(0, std::min(have, kEncodingHeadBytes));
  const std::optional<TextEncoding> encoding = DetectEncoding(head, &problem);
  if (!encoding) return RefuseEncoding(head, problem, file, diags);
  if (*encoding != TextEncoding::kUtf8) {
    (void)source->WaitAll();  // a cut upload reads as a truncated message
    return OpenTranscoded(source->view().substr(0, source->available()), *encoding, std::move(file), structures,
                          options, diags);
  }
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
