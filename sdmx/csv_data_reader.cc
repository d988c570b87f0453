// SDMX-CSV 1.0 (first column DATAFLOW) and 2.0 (STRUCTURE, STRUCTURE_ID and
// an optional ACTION column) data messages. Rows are RFC 4180 records; a run
// of consecutive rows with one series key becomes one Series. Column headers
// may carry labels ("FREQ: Frequency"); the id is the part before ':'.
#include <algorithm>
#include <deque>

#include "sdmx/queued_reader.h"
#include "sdmx/text_check.h"
#include "sdmx/urn.h"

namespace sdmx {
namespace {

// Splits RFC 4180 records; tracks the line each record starts on. Over
// ArrivingBytes it waits at the edge of what has arrived and goes on where
// it stopped.
class CsvParser {
 public:
  explicit CsvParser(std::string_view text) : text_(text) { SkipBom(); }
  explicit CsvParser(const hub::ArrivingBytes* source)
      : text_(source->view().substr(0, source->available())), source_(source) {
    SkipBom();
  }
  // False at the end, or on an unterminated quote (then `error` is set).
  bool Next(std::vector<std::string>* fields, int* line, bool* error) {
    fields->clear();
    *error = false;
    for (;;) {
      while (pos_ < text_.size() && (text_[pos_] == '\r' || text_[pos_] == '\n')) {
        if (text_[pos_] == '\n') ++line_;
        ++pos_;
      }
      if (pos_ < text_.size() || !More()) break;
    }
    if (pos_ >= text_.size()) return false;
    *line = line_;
    std::string field;
    bool quoted = false;
    for (;;) {
      if (pos_ >= text_.size() && !More()) {
        if (quoted) {
          *error = true;
          return false;
        }
        fields->push_back(std::move(field));
        return true;
      }
      char c = text_[pos_++];
      if (quoted) {
        if (c == '"') {
          if (Peek() == '"') {
            field += '"';
            ++pos_;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line_;
          field += c;
        }
      } else if (c == '"' && field.empty()) {
        quoted = true;
      } else if (c == ',') {
        fields->push_back(std::move(field));
        field.clear();
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && Peek() == '\n') ++pos_;
        ++line_;
        fields->push_back(std::move(field));
        return true;
      } else {
        field += c;
      }
    }
  }
  size_t position() const { return pos_; }

 private:
  void SkipBom() {
    while (text_.size() < 3 && More()) {
    }
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 BOM
  }
  // Waits for bytes beyond text_; false when none will come.
  bool More() {
    if (source_ == nullptr) return false;
    const size_t n = source_->WaitBeyond(text_.size());
    if (n <= text_.size()) return false;
    text_ = source_->view().substr(0, n);
    return true;
  }
  // The byte at pos_, waiting for it; '\0' at the end.
  char Peek() {
    while (pos_ >= text_.size()) {
      if (!More()) return '\0';
    }
    return text_[pos_];
  }

  std::string_view text_;  // arrived so far
  const hub::ArrivingBytes* source_ = nullptr;
  size_t pos_ = 0;
  int line_ = 1;
};

std::optional<Action> CsvAction(const std::string& v) {
  if (v.empty() || v == "I") return v.empty() ? Action::kMerge : Action::kInformation;
  if (v == "A") return Action::kAppend;
  if (v == "R") return Action::kReplace;
  if (v == "M") return Action::kMerge;
  if (v == "D") return Action::kDelete;
  return ParseAction(v);
}

class CsvDataReader final : public QueuedReader {
 public:
  // `Input`: the whole message (std::string_view) or one still arriving
  // (const hub::ArrivingBytes*).
  template <typename Input>
  CsvDataReader(Input input, std::string file, const StructureSet& structures, const DataReaderOptions& options,
                Diagnostics* diags)
      : QueuedReader(std::move(file), structures, options, diags), parser_(input) {}

  hub::Status Init() {
    std::vector<std::string> header;
    int line = 0;
    bool error = false;
    if (!parser_.Next(&header, &line, &error)) return Fail(1, "header", "well-formed-csv", "no header row");
    if (!CheckFields(header, line, nullptr)) return status_;
    for (std::string& h : header) {
      size_t colon = h.find(':');
      if (colon != std::string::npos) h = h.substr(0, colon);
      while (!h.empty() && h.back() == ' ') h.pop_back();
    }
    columns_ = header;
    if (header[0] == "DATAFLOW") {
      structure_col_ = 0;
    } else if (header.size() > 1 && header[0] == "STRUCTURE" && header[1] == "STRUCTURE_ID") {
      structure_col_ = 1;
      kind_col_ = 0;
      if (header.size() > 2 && header[2] == "ACTION") action_col_ = 2;
    } else {
      return Fail(1, "header", "csv-header", "first column must be DATAFLOW (SDMX-CSV 1.0) or STRUCTURE (2.0)");
    }
    header_.id = file_;
    Advance();
    return status_;
  }

  size_t consumed() const override { return parser_.position(); }


 private:
  hub::Status Fail(int line, const std::string& element, const std::string& rule, const std::string& msg) {
    pending_.reset();
    return QueuedReader::Fail(line, element, rule, msg);
  }

  // Each field must be UTF-8 text of characters XML allows (text_check.h):
  // SDMX-CSV is UTF-8 (a BOM is skipped), and every value may end up in an
  // SDMX-ML answer. False after reporting the first problem, located at
  // its line (fields may span lines) and column (`names`; none: header).
  bool CheckFields(const std::vector<std::string>& fields, int line, const std::vector<std::string>* names) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (std::optional<TextProblem> p = CheckXmlChars(fields[i])) {
        const std::string_view before(fields[i].data(), p->offset);
        for (size_t j = 0; j < i; ++j) line += static_cast<int>(std::count(fields[j].begin(), fields[j].end(), '\n'));
        line += static_cast<int>(std::count(before.begin(), before.end(), '\n'));
        const std::string column = names && i < names->size() ? (*names)[i] : "header";
        (void)Fail(line, column, p->rule, p->message + " (SDMX-CSV is UTF-8)");
        return false;
      }
    }
    return true;
  }

  // Resolves the structure of the first data row and maps the columns.
  bool Bind(const std::vector<std::string>& row, int line) {
    const std::string& id = row[structure_col_];
    std::string kind = kind_col_ >= 0 ? row[kind_col_] : "dataflow";
    auto ref = ParseUrn("x=" + id);  // "AGENCY:ID(VERSION)"
    if (!ref) {
      (void)Fail(line, "row", "structure-ref", "'" + id + "' is not AGENCY:ID(VERSION)");
      return false;
    }
    if (kind == "dataflow" || kind == "dataprovision") {
      const Dataflow* df = structures_.FindDataflow(*ref);
      if (df) {
        dataset_.dataflow = df->ref;
        dsd_ = structures_.FindDataStructure(df->structure);
      } else if (kind_col_ < 0) {
        // SDMX-CSV 1.0 has no column for the structure kind; data of a message
        // that named only a DSD arrives with the DSD's id in DATAFLOW.
        dsd_ = structures_.FindDataStructure(*ref);
      }
    } else if (kind == "datastructure") {
      dsd_ = structures_.FindDataStructure(*ref);
    }
    if (!dsd_) {
      (void)Fail(line, "row", "structure-known", kind + " " + ref->ToString() + " is not known to the hub");
      return false;
    }
    structure_id_ = id;
    dataset_.structure = dsd_->ref;
    roles_.assign(columns_.size(), Role{});
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (static_cast<int>(c) == structure_col_ || static_cast<int>(c) == kind_col_ ||
          static_cast<int>(c) == action_col_) {
        roles_[c].kind = Role::kSkip;
      } else if (columns_[c] == dsd_->time_dimension) {
        roles_[c].kind = Role::kTime;
      } else if (columns_[c] == dsd_->primary_measure) {
        roles_[c].kind = Role::kValue;
      } else if (int idx = dsd_->DimensionIndex(columns_[c]); idx >= 0) {
        roles_[c] = {Role::kDimension, idx};
      } else if (const Attribute* a = dsd_->FindAttribute(columns_[c])) {
        roles_[c].kind = a->level == AttachmentLevel::kObservation ? Role::kObsAttribute : Role::kSeriesAttribute;
      } else {
        (void)Fail(1, "header", "known-component",
                   "column " + columns_[c] + " is not a component of " + dsd_->ref.ToString());
        return false;
      }
    }
    return true;
  }

  void Advance() override {
    std::vector<std::string> row;
    int line = 0;
    bool error = false;
    while (status_.ok() && queue_.empty()) {
      if (!parser_.Next(&row, &line, &error)) {
        if (error) {
          (void)Fail(line, "row", "well-formed-csv", "unterminated quoted field");
          return;
        }
        if (pending_) queue_.push_back(std::move(*pending_));
        pending_.reset();
        return;
      }
      if (!CheckFields(row, line, &columns_)) return;
      if (row.size() != columns_.size()) {
        (void)Fail(line, "row", "well-formed-csv",
                   "row has " + std::to_string(row.size()) + " fields, the header " + std::to_string(columns_.size()));
        return;
      }
      if (!dsd_ && !Bind(row, line)) return;
      if (row[structure_col_] != structure_id_) {
        (void)Fail(line, "row", "one-structure", "rows of one message must share one structure (" + structure_id_ + ")");
        return;
      }
      if (action_col_ >= 0) {
        auto a = CsvAction(row[action_col_]);
        if (!a) {
          (void)Fail(line, "row", "action", "unknown ACTION '" + row[action_col_] + "'");
          return;
        }
        if (rows_ > 0 && *a != dataset_.action) {
          (void)Fail(line, "row", "one-action", "rows with different ACTION values are not supported yet");
          return;
        }
        dataset_.action = *a;
        dataset_.action_given = true;
      }
      if (++rows_ > options_.max_observations) {
        (void)Fail(line, "row", "max-observations", "more than " + std::to_string(options_.max_observations) +
                                                       " observations (DataReaderOptions.max_observations)");
        return;
      }
      std::vector<std::string> key(dsd_->dimensions.size());
      Fields series_attrs;
      Observation obs;
      obs.line = line;
      for (size_t c = 0; c < row.size(); ++c) {
        switch (roles_[c].kind) {
          case Role::kDimension: key[roles_[c].index] = row[c]; break;
          case Role::kTime: obs.period = row[c]; break;
          case Role::kValue: obs.value = row[c]; break;
          case Role::kSeriesAttribute:
            if (!row[c].empty()) series_attrs.push_back({columns_[c], row[c]});
            break;
          case Role::kObsAttribute:
            if (!row[c].empty()) obs.attributes.push_back({columns_[c], row[c]});
            break;
          case Role::kSkip: break;
        }
      }
      if (pending_ && pending_->key != key) {
        queue_.push_back(std::move(*pending_));
        pending_.reset();
      }
      if (!pending_) {
        if (++series_ > options_.max_series) {
          (void)Fail(line, "row", "max-series", "more than " + std::to_string(options_.max_series) +
                                                  " series (DataReaderOptions.max_series)");
          return;
        }
        pending_ = Series{};
        pending_->key = key;
        pending_->line = line;
      }
      for (Field& f : series_attrs) {
        if (!FindField(pending_->attributes, f.id)) pending_->attributes.push_back(std::move(f));
      }
      pending_->observations.push_back(std::move(obs));
    }
  }

  struct Role {
    enum Kind { kSkip, kDimension, kTime, kValue, kSeriesAttribute, kObsAttribute } kind = kSkip;
    int index = 0;
  };

  CsvParser parser_;
  std::vector<std::string> columns_;
  std::vector<Role> roles_;
  int structure_col_ = 0, kind_col_ = -1, action_col_ = -1;
  std::string structure_id_;
  std::optional<Series> pending_;
  size_t rows_ = 0, series_ = 0;
};

}  // namespace

hub::Result<std::unique_ptr<DataReader>> OpenCsvDataReader(std::string_view buffer, std::string file,
                                                           const StructureSet& structures,
                                                           const DataReaderOptions& options, Diagnostics* diags) {
  return OpenQueuedReader<CsvDataReader>(buffer, std::move(file), structures, options, diags);
}

hub::Result<std::unique_ptr<DataReader>> OpenCsvDataReader(const hub::ArrivingBytes* source, std::string file,
                                                           const StructureSet& structures,
                                                           const DataReaderOptions& options, Diagnostics* diags) {
  return OpenQueuedReader<CsvDataReader>(source, std::move(file), structures, options, diags);
}

}  // namespace sdmx
